using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Clients;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Every Poe key the bridge may poll with, known by a stable id derived from a hash. The database, logs and the
/// dashboard only ever see the id; the key itself stays in configuration.
/// </summary>
public sealed class PoeKeyRing
{
    private readonly string? _defaultKey;
    private readonly Dictionary<string, string> _keysById = new(StringComparer.Ordinal);

    public PoeKeyRing(IOptions<PoeOptions> poe, IOptions<ClientsOptions> clients)
    {
        _defaultKey = poe.Value.ApiKey;
        foreach (var key in clients.Value.Values.Select(c => c.PoeApiKey).Append(_defaultKey))
        {
            if (!string.IsNullOrEmpty(key))
            {
                _keysById[IdOfKey(key)] = key;
            }
        }
    }

    public IReadOnlyCollection<string> KeyIds => _keysById.Keys;

    /// <summary>The id of a client's own key, or of <c>Poe:ApiKey</c> when it has none.</summary>
    public string IdOf(string? clientKey) => IdOfKey(string.IsNullOrEmpty(clientKey) ? _defaultKey ?? string.Empty : clientKey);

    public string? KeyFor(string keyId) => _keysById.GetValueOrDefault(keyId);

    private static string IdOfKey(string key) =>
        "pk_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
}

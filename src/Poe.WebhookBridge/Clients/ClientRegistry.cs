using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Clients;

/// <summary>Resolves bearer keys to clients, compared in constant time so response timing leaks nothing about a key.</summary>
public sealed class ClientRegistry
{
    private readonly (byte[] KeyHash, Client Client)[] _byKey;
    private readonly Dictionary<string, Client> _byName;

    public ClientRegistry(IOptions<ClientsOptions> clients, PoeKeyRing poeKeys)
    {
        _byName = new Dictionary<string, Client>(StringComparer.Ordinal);
        var byKey = new List<(byte[], Client)>();
        foreach (var (name, settings) in clients.Value)
        {
            var signingKeys = new List<byte[]>();
            if (SigningSecret.TryParse(settings.SigningSecret, out var current))
            {
                signingKeys.Add(current);
            }

            if (SigningSecret.TryParse(settings.PreviousSigningSecret, out var previous))
            {
                signingKeys.Add(previous);
            }

            var client = new Client(name, signingKeys, poeKeys.IdOf(settings.PoeApiKey));
            _byName[name] = client;
            byKey.Add((Hash(settings.ApiKey ?? string.Empty), client));
        }

        _byKey = [.. byKey];
    }

    public Client? FindByApiKey(string presentedKey)
    {
        var presented = Hash(presentedKey);
        Client? match = null;
        foreach (var (keyHash, client) in _byKey)
        {
            // Hashing first gives equal lengths, and every entry is compared, so timing does not depend on which key matched.
            if (CryptographicOperations.FixedTimeEquals(keyHash, presented))
            {
                match = client;
            }
        }

        return match;
    }

    public Client? FindByName(string name) => _byName.GetValueOrDefault(name);

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}

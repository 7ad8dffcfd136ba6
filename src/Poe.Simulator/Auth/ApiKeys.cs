using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Poe.Simulator.Auth;

/// <summary>The bearer-key check Poe applies to every call.</summary>
public sealed class ApiKeys(IOptions<SimulatorOptions> options)
{
    private readonly HashSet<string> _accepted = new(options.Value.ApiKeys, StringComparer.Ordinal);

    /// <summary>The key from <c>Authorization: Bearer &lt;key&gt;</c>, or null when absent.</summary>
    public static string? Read(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return null;
        var key = header[scheme.Length..].Trim();
        return key.Length == 0 ? null : key;
    }

    public bool Accepts(string? key) =>
        !string.IsNullOrEmpty(key) && (_accepted.Count == 0 || _accepted.Contains(key));

    /// <summary>Names a key in logs and stats without revealing it: the first 8 hex chars of its SHA-256.</summary>
    public static string KeyId(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];
}

using System.Security.Cryptography;

namespace Poe.WebhookBridge.Tests.Support;

/// <summary>A consumer app configured in the bridge under test, with credentials generated for this run.</summary>
public sealed record TestClient(string Name, string ApiKey, string SigningSecret)
{
    public static TestClient Generate(string name) =>
        new(name, $"{name}_key_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}", NewSigningSecret());

    public static string NewSigningSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public IEnumerable<KeyValuePair<string, string?>> Settings()
    {
        yield return new($"Clients:{Name}:ApiKey", ApiKey);
        yield return new($"Clients:{Name}:SigningSecret", SigningSecret);
    }
}

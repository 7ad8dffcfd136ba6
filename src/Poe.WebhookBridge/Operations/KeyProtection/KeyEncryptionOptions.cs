namespace Poe.WebhookBridge.Operations.KeyProtection;

/// <summary><c>DataProtection:KeyEncryptionKey</c>: encrypts the data-protection keys kept in PostgreSQL.</summary>
public sealed class KeyEncryptionOptions
{
    public const string SectionName = "DataProtection";
    public const string KeyName = SectionName + ":KeyEncryptionKey";

    /// <summary>Base64 of 32 random bytes (an AES-256 key); unset: keys are stored unencrypted, with a warning at start-up.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>The key's bytes, or null when none is configured or it is not base64 of 32 bytes.</summary>
    public byte[]? KeyBytes()
    {
        if (string.IsNullOrEmpty(KeyEncryptionKey))
        {
            return null;
        }

        var bytes = new byte[KeyEncryption.KeySize];
        return Convert.TryFromBase64String(KeyEncryptionKey, bytes, out var written) && written == KeyEncryption.KeySize ? bytes : null;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Poe.WebhookBridge.Operations.KeyProtection;

/// <summary>
/// AES-256-GCM for the data-protection key ring at rest: a random 96-bit nonce per key, the 128-bit tag, and the
/// purpose as associated data, so a ciphertext only decrypts here, unaltered, with the same key.
/// </summary>
internal static class KeyEncryption
{
    public const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("Poe.WebhookBridge data-protection key ring");

    /// <returns>nonce ‖ tag ‖ ciphertext.</returns>
    public static byte[] Seal(byte[] key, byte[] plaintext)
    {
        var sealedBytes = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Purpose);
        return sealedBytes;
    }

    /// <exception cref="CryptographicException">Another key, or an altered ciphertext.</exception>
    public static byte[] Open(byte[] key, byte[] sealedBytes)
    {
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The encrypted data-protection key is truncated.");
        }

        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plaintext, Purpose);
        return plaintext;
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Poe.WebhookBridge.Operations.KeyProtection;

/// <summary>
/// Decrypts a key written by <see cref="AesGcmXmlEncryptor"/>. The data-protection system creates it by the type name
/// stored with the key, passing the application's services.
/// </summary>
internal sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetRequiredService<IOptions<KeyEncryptionOptions>>().Value.KeyBytes()
            ?? throw new CryptographicException($"A data-protection key is encrypted but {KeyEncryptionOptions.KeyName} is not set.");
        var plaintext = KeyEncryption.Open(key, Convert.FromBase64String(encryptedElement.Value.Trim()));
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}

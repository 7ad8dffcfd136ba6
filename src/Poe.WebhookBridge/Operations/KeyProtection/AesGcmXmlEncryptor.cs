using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Poe.WebhookBridge.Operations.KeyProtection;

/// <summary>Encrypts each new data-protection key before it is written to <c>bridge.data_protection_keys</c>.</summary>
internal sealed class AesGcmXmlEncryptor(byte[] key) : IXmlEncryptor
{
    public static readonly XName ElementName = XName.Get("encryptedKey", "urn:poe-webhook-bridge:aes-256-gcm");

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var element = new XElement(ElementName, new XComment(" AES-256-GCM with DataProtection:KeyEncryptionKey "), Convert.ToBase64String(KeyEncryption.Seal(key, plaintext)));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Poe.WebhookBridge.Operations.KeyProtection;

/// <summary>
/// The dashboard's antiforgery tokens are protected with keys kept in PostgreSQL so that every instance accepts them;
/// anyone who can read that table could forge them, so with <c>DataProtection:KeyEncryptionKey</c> set they are
/// stored encrypted with it.
/// </summary>
internal sealed class KeyEncryptionSetup(IOptions<KeyEncryptionOptions> options) : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions keyManagement)
    {
        if (options.Value.KeyBytes() is { } key)
        {
            keyManagement.XmlEncryptor = new AesGcmXmlEncryptor(key);
        }
    }
}

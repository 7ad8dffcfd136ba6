using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Poe.WebhookBridge.Operations.KeyProtection;

internal static class KeyProtectionSetup
{
    /// <summary>Binds and validates <c>DataProtection:KeyEncryptionKey</c>; call after <c>AddDataProtection</c>, whose defaults this overrides.</summary>
    public static IServiceCollection AddKeyEncryption(this IServiceCollection services)
    {
        services.AddOptions<KeyEncryptionOptions>().BindConfiguration(KeyEncryptionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyEncryptionOptions>, KeyEncryptionOptionsValidator>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, KeyEncryptionSetup>();
        return services;
    }
}

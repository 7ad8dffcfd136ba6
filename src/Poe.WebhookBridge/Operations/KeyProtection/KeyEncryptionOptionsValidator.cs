using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Infrastructure.Configuration;

namespace Poe.WebhookBridge.Operations.KeyProtection;

internal sealed class KeyEncryptionOptionsValidator : IValidateOptions<KeyEncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyEncryptionOptions options)
    {
        var errors = new ValidationErrors();
        errors.Require(string.IsNullOrEmpty(options.KeyEncryptionKey) || options.KeyBytes() is not null,
            KeyEncryptionOptions.KeyName, $"must be base64 of {KeyEncryption.KeySize} random bytes (e.g. `openssl rand -base64 32`).");
        return errors.ToResult();
    }
}

using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Operations;

namespace Poe.WebhookBridge.Infrastructure.Configuration;

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var errors = new ValidationErrors();
        errors.Positive(options.Period, "Retention:Period");
        return errors.ToResult();
    }
}

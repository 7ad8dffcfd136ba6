using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Delivery;

namespace Poe.WebhookBridge.Infrastructure.Configuration;

internal sealed class WebhooksOptionsValidator : IValidateOptions<WebhooksOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhooksOptions options)
    {
        var errors = new ValidationErrors();
        errors.Require(options.Timeout > TimeSpan.Zero && options.Timeout <= TimeSpan.FromMinutes(5), "Webhooks:Timeout", "must be between 0 and 5 minutes.");
        for (var i = 0; i < options.RetrySchedule.Count; i++)
        {
            errors.Positive(options.RetrySchedule[i], $"Webhooks:RetrySchedule:{i}");
        }

        errors.Positive(options.DisableEndpointAfter, "Webhooks:DisableEndpointAfter");

        return errors.ToResult();
    }
}

using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Operations;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Infrastructure.Configuration;

internal sealed class PoeOptionsValidator : IValidateOptions<PoeOptions>
{
    public ValidateOptionsResult Validate(string? name, PoeOptions options)
    {
        var errors = new ValidationErrors();
        errors.Require(options.BaseUrl is { IsAbsoluteUri: true } url && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp),
            "Poe:BaseUrl", "must be an absolute http(s) URL.");
        errors.Require(options.RequestsPerMinute is >= 1 and <= 100_000, "Poe:RequestsPerMinute", "must be between 1 and 100000.");
        errors.Require(options.Timeout > TimeSpan.Zero && options.Timeout <= TimeSpan.FromMinutes(5), "Poe:Timeout", "must be between 0 and 5 minutes.");
        return errors.ToResult();
    }
}

internal sealed class PollingOptionsValidator : IValidateOptions<PollingOptions>
{
    public ValidateOptionsResult Validate(string? name, PollingOptions options)
    {
        var errors = new ValidationErrors();
        errors.Require(options.Interval >= TimeSpan.FromMilliseconds(100), "Polling:Interval", "must be at least 00:00:00.1.");
        errors.Require(options.MaxInterval >= options.Interval, "Polling:MaxInterval", "must not be shorter than Polling:Interval.");
        errors.Require(Enum.IsDefined(options.Strategy), "Polling:Strategy", "must be 'fixed' or 'adaptive'.");
        errors.Require(options.NotFoundGracePeriod >= TimeSpan.Zero, "Polling:NotFoundGracePeriod", "must not be negative.");
        errors.Positive(options.MaxWatchDuration, "Polling:MaxWatchDuration");
        return errors.ToResult();
    }
}

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

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var errors = new ValidationErrors();
        errors.Positive(options.Period, "Retention:Period");
        errors.Require(!string.IsNullOrWhiteSpace(options.Schedule), "Retention:Schedule", "must be a cron expression.");
        return errors.ToResult();
    }
}

internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var errors = new ValidationErrors();
        errors.Require(string.IsNullOrEmpty(options.Username) == string.IsNullOrEmpty(options.Password),
            "Dashboard:Password", "Dashboard:Username and Dashboard:Password must be set together.");
        return errors.ToResult();
    }
}

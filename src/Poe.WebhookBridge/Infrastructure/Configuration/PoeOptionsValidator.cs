using Microsoft.Extensions.Options;
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

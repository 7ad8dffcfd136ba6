using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Operations;

namespace Poe.WebhookBridge.Infrastructure.Configuration;

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

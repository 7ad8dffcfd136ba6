using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Infrastructure.Configuration;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Clients;

internal sealed class ClientsOptionsValidator(IOptions<PoeOptions> poe) : IValidateOptions<ClientsOptions>
{
    private const int MinimumApiKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ClientsOptions options)
    {
        var errors = new ValidationErrors();
        foreach (var (client, settings) in options)
        {
            var prefix = $"Clients:{client}";
            errors.Require(ClientName.IsValid(client), prefix, "a client name is 1-64 letters, digits, '-' or '_'.");
            errors.Require(settings.ApiKey is { Length: >= MinimumApiKeyLength }, $"{prefix}:ApiKey", $"is required and must be at least {MinimumApiKeyLength} characters.");
            errors.Require(SigningSecret.TryParse(settings.SigningSecret, out _), $"{prefix}:SigningSecret", SigningSecret.FormatRule);
            errors.Require(settings.PreviousSigningSecret is null || SigningSecret.TryParse(settings.PreviousSigningSecret, out _),
                $"{prefix}:PreviousSigningSecret", SigningSecret.FormatRule);
            errors.Require(!string.IsNullOrEmpty(settings.PoeApiKey ?? poe.Value.ApiKey), $"{prefix}:PoeApiKey",
                "no Poe key: set Poe:ApiKey or this client's PoeApiKey.");
        }

        var duplicated = options.Where(c => c.Value.ApiKey is not null).GroupBy(c => c.Value.ApiKey, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        errors.Require(duplicated is null, $"Clients:{duplicated?.Last().Key}:ApiKey", "is the same as another client's key.");
        return errors.ToResult();
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Poe.WebhookBridge.Clients;

public static class ClientAuthentication
{
    public const string Scheme = "ClientApiKey";
    public const string PolicyName = "Client";

    public static WebApplicationBuilder AddClients(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClientsOptions>().BindConfiguration(ClientsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClientsOptions>, ClientsOptionsValidator>();
        builder.Services.AddSingleton<ClientRegistry>();
        builder.Services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, ClientApiKeyHandler>(Scheme, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return builder;
    }
}

namespace Poe.Simulator.Auth;

/// <summary>Guards the create and force endpoints; polling checks the key itself to count and log it.</summary>
internal sealed class RequireApiKeyFilter(ApiKeys keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        keys.Accepts(ApiKeys.Read(context.HttpContext.Request))
            ? await next(context)
            : PoeErrors.Unauthorized();
}

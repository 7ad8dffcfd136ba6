namespace Poe.Simulator.Auth;

/// <summary>Guards the force endpoints; Poe's own endpoints check the key through PoeGate to count and log it.</summary>
internal sealed class RequireApiKeyFilter(ApiKeys keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        keys.Accepts(ApiKeys.Read(context.HttpContext.Request))
            ? await next(context)
            : PoeErrors.Unauthorized();
}

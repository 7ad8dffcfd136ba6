using Microsoft.AspNetCore.Http.HttpResults;

namespace Poe.Simulator.Requests;

/// <summary>Simulator-only endpoints to inspect and reset the poll log (no key needed).</summary>
public static class RequestLogApi
{
    public static IEndpointRouteBuilder MapRequestLog(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/simulator").WithTags("Simulator");
        group.MapGet("/requests", List);
        group.MapDelete("/requests", Clear);
        group.MapGet("/stats", Stats);
        return app;
    }

    private static Ok<IReadOnlyList<RequestLogEntry>> List(long? since, RequestLog log) => TypedResults.Ok(log.Since(since));

    private static NoContent Clear(RequestLog log)
    {
        log.Clear();
        return TypedResults.NoContent();
    }

    private static Ok<RequestStats> Stats(RequestLog log) => TypedResults.Ok(log.Stats());
}

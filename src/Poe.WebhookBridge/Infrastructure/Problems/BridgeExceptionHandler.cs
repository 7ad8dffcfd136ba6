using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Poe.WebhookBridge.Infrastructure.Problems;

/// <summary>The one place unexpected failures become problems: no stack trace, no secret, and 503 when the database is away.</summary>
internal sealed partial class BridgeExceptionHandler(IProblemDetailsService problems, ILogger<BridgeExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var databaseDown = IsDatabaseUnavailable(exception);
        if (databaseDown)
        {
            LogDatabaseUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name);
        }
        else if (exception is BadHttpRequestException bad)
        {
            httpContext.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = { Status = bad.StatusCode, Title = "Bad request", Detail = "The request could not be read." },
            });
        }
        else
        {
            LogUnhandled(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
        }

        var status = databaseDown ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        httpContext.Response.StatusCode = status;
        if (databaseDown)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = status,
                Title = databaseDown ? "Service unavailable" : "Internal error",
                Detail = databaseDown ? "The database is unavailable; nothing was changed. Retry shortly." : "An unexpected error occurred.",
            },
        });
    }

    private static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or TimeoutException || e is PostgresException { SqlState: "57P01" or "57P03" or "53300" })
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} failed: database unavailable ({ExceptionType})")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string path, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception exception);
}

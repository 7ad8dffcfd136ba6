using System.Globalization;
using Poe.Simulator.Auth;
using Poe.Simulator.RateLimiting;

namespace Poe.Simulator;

/// <summary>What Poe checks before any video endpoint answers: the bearer key (401), then the key's budget (429).</summary>
internal sealed class PoeGate(ApiKeys keys, KeyRateLimiter limiter)
{
    /// <summary>The key and the budget it took, or the refusal to send; every answer carries the x-ratelimit headers.</summary>
    public Admission Admit(HttpContext context)
    {
        var key = ApiKeys.Read(context.Request);
        if (key is null || !keys.Accepts(key))
        {
            RateLimitHeaders.Apply(context.Response, limiter.Peek(key));
            return new Admission(key, null, (StatusCodes.Status401Unauthorized, PoeErrors.Unauthorized()));
        }

        var lease = limiter.TryAcquire(key);
        RateLimitHeaders.Apply(context.Response, lease.State);
        if (!lease.Acquired)
        {
            context.Response.Headers.RetryAfter = lease.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return new Admission(key, lease, (StatusCodes.Status429TooManyRequests, PoeErrors.RateLimited()));
        }

        return new Admission(key, lease, null);
    }
}

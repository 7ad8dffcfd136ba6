using System.Net;

namespace Poe.WebhookBridge.ReliabilityTests.HostileInput;

/// <summary>
/// Hostile requests around the body: missing or wrong credentials (401, checked before anything else, so the real
/// id of an existing watch is used), verbs a path does not document (405), ids no client owns (404) and query
/// values outside their rule (400).
/// </summary>
public static class RequestCases
{
    private static readonly string[] Ids =
    [
        "nope", "watch_" + new string('w', 5000), "%27%20OR%20%271%27%3D%271", "..%2F..%2Fhangfire", "%2E%2E", "%C3%28",
        "%E2%80%AE", "%F0%9F%98%80", "%0A", "%7B%7B7*7%7D%7D", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", new string('9', 400),
    ];

    /// <summary>Query values that break each documented parameter's rule (SPEC §2); a parameter that is a plain filter
    /// (<c>video_id</c>: any text, an unknown one matches nothing) has none.</summary>
    private static readonly Dictionary<string, string[]> QueryValues = new()
    {
        ["limit"] = ["-1", "0", "101", "abc", "1e999", "99999999999999999999", "1.5", "%00", "%F0%9F%98%80"],
        ["status"] = ["exploded", "%27%20OR%201%3D1--", "%3Cscript%3E", "%E2%80%AE"],
        ["after"] = ["watch_nope", "%27%20OR%201%3D1--", "%00", new string('a', 5000)],
    };

    public static IEnumerable<HostileCase> For(ApiOperation operation, string realId)
    {
        var path = operation.PathWith(realId);
        foreach (var (label, value) in new[]
        {
            ("no credentials", null), ("wrong key", "Bearer key_wrong_0123456789"), ("basic", "Basic " + new string('A', 8000)),
            ("empty bearer", "Bearer"), ("bearer of 8000 chars", "Bearer " + new string('k', 8000)), ("two keys", "Bearer a, Bearer b"),
        })
        {
            yield return new HostileCase($"{operation.Label} {label}", HttpStatusCode.Unauthorized, () => Credentials(operation.Method, path, value), Authenticated: false);
        }

        // With a body, a bad body is answered first; an operation's ids are tried where no body comes into it.
        foreach (var id in operation.PathParameters.Count > 0 && operation.Body is null ? Ids : [])
        {
            yield return new HostileCase($"{operation.Label} id {id[..Math.Min(id.Length, 40)]}", HttpStatusCode.NotFound, () => new HttpRequestMessage(new HttpMethod(operation.Method), operation.PathWith(id)));
        }

        foreach (var parameter in operation.QueryParameters)
        {
            foreach (var value in QueryValues.GetValueOrDefault(parameter, []))
            {
                yield return new HostileCase($"{operation.Label} ?{parameter}={value[..Math.Min(value.Length, 40)]}", HttpStatusCode.BadRequest, () => new HttpRequestMessage(new HttpMethod(operation.Method), $"{path}?{parameter}={value}"));
            }
        }
    }

    /// <summary>Each verb that no operation of <paramref name="path"/> documents.</summary>
    public static IEnumerable<HostileCase> Verbs(IReadOnlyList<ApiOperation> operations, string realId)
    {
        var path = operations[0].Path;
        foreach (var verb in new[] { "GET", "POST", "PUT", "PATCH", "DELETE" }.Except(operations.Select(o => o.Method)))
        {
            var target = operations[0].PathWith(realId);
            yield return new HostileCase($"{verb} {path} (undocumented verb)", HttpStatusCode.MethodNotAllowed, () => new HttpRequestMessage(new HttpMethod(verb), target));
        }
    }

    private static HttpRequestMessage Credentials(string method, string path, string? authorization)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }
}

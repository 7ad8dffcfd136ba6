using System.Text;
using Poe.WebhookBridge.Delivery;

namespace Poe.WebhookBridge.Tests.Delivery;

public sealed class WebhookSignerTests
{
    [Fact]
    public void Signing_the_Standard_Webhooks_reference_vector_gives_the_reference_signature()
    {
        Assert.True(SigningSecret.TryParse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", out var key));

        var signature = WebhookSigner.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("""{"test": 2432232314}"""), [key]);

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void With_two_keys_the_signatures_are_space_separated_current_first()
    {
        Assert.True(SigningSecret.TryParse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", out var current));
        var previous = new byte[32];

        var signatures = WebhookSigner.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("""{"test": 2432232314}"""), [current, previous]).Split(' ');

        Assert.Equal(2, signatures.Length);
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signatures[0]);
        Assert.StartsWith("v1,", signatures[1], StringComparison.Ordinal);
    }
}

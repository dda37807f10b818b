namespace FederationPortal.Emulator.Tests;

/// <summary>The standalone host's own configuration: a bad value stops it at start, naming the key.</summary>
public sealed class StandaloneHostTests
{
    [Fact]
    public async Task A_trusted_proxy_that_is_not_an_ip_address_stops_the_emulator_naming_the_key()
    {
        await using var emulator = new EmulatorProcess();
        using var process = emulator.Start("--urls", "http://127.0.0.1:0", "--Emulator:DataDirectory", emulator.DataDirectory, "--Emulator:TrustedProxies:0", "proxy.example");

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Emulator:TrustedProxies must hold IP addresses; not one: proxy.example", emulator.Output);
    }

    [Fact]
    public async Task A_client_asking_for_tokens_too_often_gets_429_with_retry_after_60_as_from_entra()
    {
        await using var emulator = new EmulatorProcess { Settings = ["--Sandbox:TokenRequestsPerMinute", "3"] };
        await emulator.InitializeAsync();
        using var http = new HttpClient();
        var client = emulator.Info.GetProperty("graphClient");
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.GetProperty("clientId").GetString()!,
            ["client_secret"] = client.GetProperty("clientSecret").GetString()!,
            ["scope"] = "https://graph.microsoft.com/.default",
        };
        var token = emulator.Info.GetProperty("endpoints").GetProperty("token").GetString();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await http.PostAsync(token, new FormUrlEncodedContent(form), TestContext.Current.CancellationToken));
        }

        Assert.All(answers.Take(3), a => Assert.Equal(System.Net.HttpStatusCode.OK, a.StatusCode));
        Assert.All(answers.Skip(3), a => Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, a.StatusCode));
        Assert.Equal(TimeSpan.FromSeconds(60), answers[3].Headers.RetryAfter?.Delta);
    }
}

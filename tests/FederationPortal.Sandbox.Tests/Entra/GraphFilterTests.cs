using System.Text.Json.Nodes;
using FederationPortal.Sandbox.Entra;
using FederationPortal.Sandbox.Entra.Graph;

namespace FederationPortal.Sandbox.Tests.Entra;

/// <summary>The sandbox Graph's <c>$filter</c> on dates and numbers, in the forms the Graph SDK and the connectors write.</summary>
public sealed class GraphFilterTests
{
    private static readonly JsonObject Early = SignIn("2026-11-27T09:59:59Z", 0, "a");
    private static readonly JsonObject Late = SignIn("2026-11-27T10:00:00Z", 50105, "b");

    private static JsonObject SignIn(string created, int errorCode, string appId) => new()
    {
        ["createdDateTime"] = created,
        ["appId"] = appId,
        ["status"] = new JsonObject { ["errorCode"] = errorCode },
    };

    [Theory]
    [InlineData("createdDateTime ge 2026-11-27T10:00:00Z", false, true)]
    [InlineData("createdDateTime ge 2026-11-27T10:00:00.0000000+00:00", false, true)]
    [InlineData("createdDateTime ge 2026-11-27T11:00:00+01:00", false, true)]
    [InlineData("createdDateTime ge 2026-11-27T11:00:00 01:00", false, true)]
    [InlineData("createdDateTime gt 2026-11-27T09:59:59Z", false, true)]
    [InlineData("createdDateTime lt 2026-11-27T10:00:00Z", true, false)]
    [InlineData("createdDateTime le 2026-11-27T10:00:00Z", true, true)]
    [InlineData("createdDateTime ge 2026-11-27T09:00:00Z and appId eq 'b'", false, true)]
    [InlineData("status/errorCode eq 50105", false, true)]
    [InlineData("status/errorCode eq 0 and createdDateTime ge 2026-11-27T09:00:00Z", true, false)]
    public void Date_and_number_clauses_select_as_Graph_does(string filter, bool early, bool late)
    {
        var predicate = GraphJson.ParseFilter(filter, "signIn");
        Assert.Equal((early, late), (predicate(Early), predicate(Late)));
    }

    [Fact]
    public void A_malformed_date_is_a_bad_query()
    {
        var error = Assert.Throws<GraphException>(() => GraphJson.ParseFilter("createdDateTime ge 2026-13-45T10:00:00Z", "signIn"));
        Assert.Equal("Request_UnsupportedQuery", error.Code);
    }
}

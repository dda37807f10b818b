using System.Text;
using FederationPortal.Core.Review;
using FederationPortal.Core.Security;
using Microsoft.AspNetCore.Mvc;

namespace FederationPortal.Web.Endpoints;

/// <summary>Role-assignment review over HTTP: the CSV export the review page links to.</summary>
public static class ReviewEndpoints
{
    public static void MapReviewEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/review.csv", ExportCsvAsync)
            .RequireAuthorization(PortalPolicies.CanRead)
            .AddEndpointFilter<PortalExceptionFilter>()
            .WithTags("Review")
            .WithName("ExportReviewCsv")
            .WithSummary("Who can assume which AWS role, read live from the clouds, as canonical CSV (its SHA-256 in X-Review-Sha256).");
    }

    private static async Task<IResult> ExportCsvAsync(
        ReviewService review,
        HttpContext context,
        [FromQuery] Guid? environmentId,
        [FromQuery] string? principal,
        [FromQuery] string? role)
    {
        var snapshot = (await review.BuildAsync(environmentId, context.RequestAborted)).Filter(new ReviewFilter(principal, role));
        context.Response.Headers["X-Review-Sha256"] = snapshot.Sha256();
        var name = environmentId is null ? "all" : environmentId.Value.ToString("N")[..8];
        return Results.File(new UTF8Encoding(false).GetBytes(snapshot.ToCsv()), "text/csv; charset=utf-8", $"role-review-{name}-{snapshot.TakenAt:yyyyMMdd-HHmmss}.csv");
    }
}

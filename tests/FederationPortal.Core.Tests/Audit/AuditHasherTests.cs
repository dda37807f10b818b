using FederationPortal.Core.Audit;

namespace FederationPortal.Core.Tests.Audit;

public sealed class AuditHasherTests
{
    private static AuditEvent Sample() => new()
    {
        Sequence = 7,
        Id = Guid.Parse("0195f3a0-0000-7000-8000-000000000001"),
        TimestampUtc = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
        ActorId = "u1",
        ActorName = "Adele Vance",
        Action = "environment.create",
        Outcome = AuditOutcome.Success,
        DetailsJson = "{\"name\":\"prod\"}",
        PreviousHash = AuditHasher.GenesisHash,
    };

    [Fact]
    public void Hash_is_stable_for_the_same_content()
    {
        Assert.Equal(AuditHasher.ComputeHash(Sample()), AuditHasher.ComputeHash(Sample()));
        Assert.Matches("^[0-9a-f]{64}$", AuditHasher.ComputeHash(Sample()));
    }

    [Theory]
    [InlineData("actor")]
    [InlineData("action")]
    [InlineData("outcome")]
    [InlineData("details")]
    [InlineData("previous")]
    [InlineData("time")]
    [InlineData("target")]
    public void Changing_any_field_changes_the_hash(string field)
    {
        var original = AuditHasher.ComputeHash(Sample());
        var changed = Sample();
        switch (field)
        {
            case "actor": changed.ActorName = "Mallory"; break;
            case "action": changed.Action = "environment.delete"; break;
            case "outcome": changed.Outcome = AuditOutcome.Failure; break;
            case "details": changed.DetailsJson = "{\"name\":\"dev\"}"; break;
            case "previous": changed.PreviousHash = new string('1', 64); break;
            case "time": changed.TimestampUtc = changed.TimestampUtc.AddTicks(1); break;
            case "target": changed.TargetId = "arn:aws:iam::111122223333:role/x"; break;
        }

        Assert.NotEqual(original, AuditHasher.ComputeHash(changed));
    }

    [Fact]
    public void Field_boundaries_cannot_be_shifted_to_forge_the_same_hash()
    {
        var a = Sample();
        a.ActorId = "ab";
        a.ActorName = "c";
        var b = Sample();
        b.ActorId = "a";
        b.ActorName = "bc";
        Assert.NotEqual(AuditHasher.ComputeHash(a), AuditHasher.ComputeHash(b));
    }
}

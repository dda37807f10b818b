using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FederationPortal.Data;

/// <summary>Stores a <see cref="DateTimeOffset"/> as its UTC ticks (an INTEGER column that sorts and compares in SQL).</summary>
internal sealed class DateTimeOffsetToUtcTicksConverter()
    : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));

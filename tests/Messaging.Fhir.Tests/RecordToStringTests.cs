using Messaging.Tests.Support;

namespace Messaging.Fhir.Tests;

/// <summary>R22: every public record of this package prints no patient data from its <c>ToString</c> (see <see cref="RecordPrinting"/>).</summary>
public sealed class RecordToStringTests
{
    public static TheoryData<Type> Records()
    {
        var data = new TheoryData<Type>();
        foreach (var type in RecordPrinting.Records(typeof(Messaging.Fhir.FhirExportContent).Assembly))
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void The_package_has_records_to_check() => Records().Count.Should().BePositive();

    [Theory]
    [MemberData(nameof(Records))]
    public void A_record_prints_no_patient_data(Type record)
    {
        var (leaked, printed) = RecordPrinting.Leaks(record);
        leaked.Should().BeEmpty($"{record.Name}.ToString() printed \"{printed}\"");
    }
}

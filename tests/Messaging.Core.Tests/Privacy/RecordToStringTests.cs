using System.Reflection;
using Messaging.Tests.Support;

namespace Messaging.Core.Tests.Privacy;

/// <summary>
/// R22: every public record of the contracts and core packages prints no patient data from its <c>ToString</c>
/// (see <see cref="RecordPrinting"/>: a new string property counts as patient data until it is masked or listed).
/// </summary>
public sealed class RecordToStringTests
{
    private static readonly Assembly[] Packages = [typeof(PatientRegistration).Assembly, typeof(Messaging.Templates.RenderedTemplate).Assembly];

    public static TheoryData<Type> Records()
    {
        var data = new TheoryData<Type>();
        foreach (var type in Packages.SelectMany(RecordPrinting.Records))
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void The_packages_have_records_to_check()
        => Records().Count.Should().BeGreaterThan(20, "the reflection must find the records, or the theory proves nothing");

    [Theory]
    [MemberData(nameof(Records))]
    public void A_record_prints_no_patient_data(Type record)
    {
        var (leaked, printed) = RecordPrinting.Leaks(record);
        leaked.Should().BeEmpty($"{record.Name}.ToString() printed \"{printed}\"");
    }
}

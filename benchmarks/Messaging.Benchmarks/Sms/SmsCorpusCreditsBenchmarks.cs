using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Messaging.Sending;
using Microsoft.Extensions.Options;

namespace Messaging.Benchmarks.Sms;

/// <summary>
/// What the SDK's own text costs in SMS credits (issue 25), over <c>Sms/Corpus/clinical-texts.txt</c>: 240 clinical texts
/// (appointment reminders, results, recalls, cancellations; 40–600 characters; some Welsh letters, curly quotes, emoji),
/// each sent reply-enabled, counted as carriers split them (<see cref="SmsSegmentCalculator"/>):
/// <list type="bullet">
/// <item><description><b>before</b>: the text, then <c>"\n\nReply securely (once): " + link</c> with a 43-character token (256 bits);</description></item>
/// <item><description><b>after</b>: the default English wording, <c>"\n\nReply once:\n" + link</c> with a 22-character token (128 bits);</description></item>
/// <item><description><b>after, Welsh</b>: <c>"\n\nAtebwch unwaith:\n" + link</c>;</description></item>
/// <item><description><b>after, downgrade opted in</b>: English, with the staff text GSM-7 downgraded (<see cref="SmsCharacterDowngrade.SdkAndStaffText"/>).</description></item>
/// </list>
/// The credit report is printed by <see cref="Setup"/> (credits do not depend on timing); the benchmarks time the
/// composition and count of the whole corpus.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class SmsCorpusCreditsBenchmarks
{
    /// <summary>The public base URL the counts assume (29 characters, as in the tests).</summary>
    public const string PublicBaseUrl = "https://ehr.example.nhs.uk/m/";

    private static readonly Uri OldLink = new(PublicBaseUrl + "r/" + new string('x', 43));
    private static readonly Uri NewLink = new(PublicBaseUrl + "r/" + new string('x', 22));
    private static readonly WorkspaceId English = new("english");
    private static readonly WorkspaceId Welsh = new("welsh");

    private string[] _texts = [];
    private PatientLinkWording _wording = null!;
    private PatientLinkWording _downgrading = null!;

    [GlobalSetup]
    public void Setup()
    {
        _texts = LoadCorpus();
        _wording = Wording(SmsCharacterDowngrade.SdkText);
        _downgrading = Wording(SmsCharacterDowngrade.SdkAndStaffText);
        Console.WriteLine(Report());
    }

    [Benchmark(Baseline = true, Description = "before: count the corpus, old wording + 43-char token")]
    public int Before() => _texts.Sum(t => SmsSegmentCalculator.Calculate(Old(t)).Credits);

    [Benchmark(Description = "after: count the corpus, new wording + 22-char token")]
    public int After() => _texts.Sum(t => SmsSegmentCalculator.Calculate(_wording.Compose(English, t, [], NewLink)).Credits);

    [Benchmark(Description = "after, staff text downgraded")]
    public int AfterDowngraded() => _texts.Sum(t => SmsSegmentCalculator.Calculate(_downgrading.Compose(English, _downgrading.StaffSmsText(t), [], NewLink)).Credits);

    /// <summary>The report committed in benchmarks/results/SmsCorpusCredits.md.</summary>
    public string Report()
    {
        var alone = _texts.Select(t => SmsSegmentCalculator.Calculate(t).Credits).ToArray();
        var rows = new (string Name, Func<string, string> Compose, Func<string, string> Staff)[]
        {
            ("before: `\\n\\nReply securely (once): ` + 43-char token", Old, t => t),
            ("after: `\\n\\nReply once:\\n` + 22-char token", t => _wording.Compose(English, t, [], NewLink), t => t),
            ("after, Welsh: `\\n\\nAtebwch unwaith:\\n` + 22-char token", t => _wording.Compose(Welsh, t, [], NewLink), t => t),
            ("after, staff text GSM-7 downgraded (opt-in)", t => _downgrading.Compose(English, t, [], NewLink), _downgrading.StaffSmsText),
        };

        var report = new StringBuilder();
        var lengths = _texts.Select(t => t.Length).Order().ToArray();
        report.AppendLine(CultureInfo.InvariantCulture, $"Corpus: {_texts.Length} texts, {lengths[0]}–{lengths[^1]} characters (median {lengths[lengths.Length / 2]}), "
            + $"{_texts.Count(t => SmsSegmentCalculator.Calculate(t).Encoding == SmsEncoding.Ucs2)} UCS-2 on their own; "
            + $"{alone.Sum()} credits without any link. Public base URL `{PublicBaseUrl}` ({PublicBaseUrl.Length} characters).");
        report.AppendLine();
        report.AppendLine("| reply-enabled, as sent | SDK's own characters | total credits | vs before | texts pushed into an extra segment by the SDK's text | UCS-2 texts |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|");
        var before = 0;
        foreach (var (name, compose, staff) in rows)
        {
            var sent = _texts.Select(t => compose(staff(t))).ToArray();
            var credits = sent.Select(s => SmsSegmentCalculator.Calculate(s).Credits).ToArray();
            var total = credits.Sum();
            before = before == 0 ? total : before;
            var pushed = Enumerable.Range(0, _texts.Length).Count(i => credits[i] > SmsSegmentCalculator.Calculate(staff(_texts[i])).Credits);
            var own = sent[0].Length - staff(_texts[0]).Length;
            var ucs2 = sent.Count(s => SmsSegmentCalculator.Calculate(s).Encoding == SmsEncoding.Ucs2);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {own} | {total} | {(total - before) * 100.0 / before:+0.0;-0.0;0.0}% | {pushed} ({pushed * 100.0 / _texts.Length:0.0}%) | {ucs2} |");
        }

        return report.ToString();
    }

    /// <summary>The composition before issue 25: the label and link on one line.</summary>
    private static string Old(string body) => body + "\n\nReply securely (once): " + OldLink.AbsoluteUri;

    private static PatientLinkWording Wording(SmsCharacterDowngrade downgrade)
    {
        var options = new PatientLinkTextOptions { Gsm7Downgrade = downgrade };
        options.WorkspaceLanguages[Welsh.ToString()] = PatientLinkTextOptions.Welsh;
        return new PatientLinkWording(Options.Create(options));
    }

    private static string[] LoadCorpus()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Messaging.sln")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Run from inside the repository."), "benchmarks", "Messaging.Benchmarks", "Sms", "Corpus", "clinical-texts.txt");
        var texts = File.ReadAllLines(path, Encoding.UTF8).Where(l => l.Length > 0).ToArray();
        return texts.Length >= 200 ? texts : throw new InvalidOperationException($"The corpus has {texts.Length} texts; at least 200 expected.");
    }
}

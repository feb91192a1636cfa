using BenchmarkDotNet.Attributes;

namespace Messaging.Benchmarks.Sms;

/// <summary>
/// The segment calculator's speed (R15). Throughput in MB/s = (Chars × 2 bytes) / Mean: the input is UTF-16 text.
/// </summary>
[MemoryDiagnoser]
public class SmsSegmentBenchmarks
{
    private string _text = null!;

    [Params("gsm-160", "gsm-1KiB", "gsm-ext-1KiB", "ucs2-emoji-1KiB")]
    public string Input { get; set; } = null!;

    public int Chars => _text.Length;

    [GlobalSetup]
    public void Setup()
    {
        const string Sentence = "Dear Jane, your appointment at the clinic is on Tuesday at 10:30. Reply if you need to rearrange. ";
        _text = Input switch
        {
            "gsm-160" => Repeat(Sentence, 160),
            "gsm-1KiB" => Repeat(Sentence, 1024),
            "gsm-ext-1KiB" => Repeat("Costs €20 [incl. VAT] {see note} ", 1024),
            _ => Repeat("Your results are ready 😀 — please call “the clinic” ", 1024),
        };
    }

    [Benchmark]
    public int Calculate() => SmsSegmentCalculator.Calculate(_text).Segments;

    private static string Repeat(string s, int length)
    {
        var text = string.Concat(Enumerable.Repeat(s, (length / s.Length) + 1))[..length];
        return char.IsHighSurrogate(text[^1]) ? text[..^1] + "a" : text;
    }
}

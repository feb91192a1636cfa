using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using System.Runtime.CompilerServices;
using Fluid;
using Fluid.Ast;
using Fluid.Parser;
using Fluid.Values;
using HandlebarsDotNet;
using Messaging.Templates;
using NodaTime;
using Stubble.Core.Builders;
using Stubble.Core.Interfaces;
using Stubble.Core.Settings;

namespace Messaging.Benchmarks.Templates;

/// <summary>
/// The same ~160-character appointment SMS with four placeholders, one a date, rendered by our engine (R16), Fluid,
/// Handlebars.Net and Stubble, in one run.
/// </summary>
/// <remarks>
/// <para>Every engine gets its template parsed once, outside the measured code, and renders as plain text (no HTML
/// escaping: it is an SMS). <see cref="Setup"/> checks that all four produce the identical string.</para>
/// <para><b>Render</b>: each engine's input (our <see cref="TemplateValues"/>, Fluid's <see cref="TemplateContext"/>,
/// the Handlebars and Stubble view objects) is built once; only the render is measured.
/// <b>Build+Render</b>: what one send costs, building that input from the appointment data and rendering.</para>
/// <para>Dates: ours formats a NodaTime <see cref="LocalDate"/> with the pattern in the template; Fluid formats a
/// <see cref="DateTimeOffset"/> with its <c>format_date</c> filter and Handlebars a <see cref="DateTime"/> with a
/// registered helper, both with the same .NET pattern in the template. Stubble (Mustache) has no formatting, so its
/// view carries the date already formatted: in Render the formatting is not measured for Stubble at all, in
/// Build+Render it is (the view is built per call). Stubble has no public pre-compiled template: it caches the parse
/// by template text, warmed in <see cref="Setup"/>.</para>
/// </remarks>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class TemplateRenderingBenchmarks
{
    private const string OurText =
        "Dear {{patient.firstName}}, your appointment at {{clinic.name}} is on {{appointment.date:dddd d MMMM yyyy}}. "
        + "Reply to this message if you need to rearrange. {{workspace.name}}";

    private const string FluidText =
        "Dear {{ Patient.FirstName }}, your appointment at {{ Clinic.Name }} is on {{ Appointment.Date | format_date: 'dddd d MMMM yyyy' }}. "
        + "Reply to this message if you need to rearrange. {{ Workspace.Name }}";

    private const string HandlebarsText =
        "Dear {{Patient.FirstName}}, your appointment at {{Clinic.Name}} is on {{formatDate Appointment.Date \"dddd d MMMM yyyy\"}}. "
        + "Reply to this message if you need to rearrange. {{Workspace.Name}}";

    private const string StubbleText =
        "Dear {{Patient.FirstName}}, your appointment at {{Clinic.Name}} is on {{Appointment.Date}}. "
        + "Reply to this message if you need to rearrange. {{Workspace.Name}}";

    private const string DatePattern = "dddd d MMMM yyyy";

    // The data of one send, as the host has it.
    private static readonly AppointmentData Data = new("Jane", "St Mary's Skin Clinic", new LocalDate(2025, 3, 4), "Northshire Dermatology");

    private TemplateEngine _engine = null!;
    private CompiledTemplate _ours = null!;
    private TemplateValues _ourValues = null!;

    private Fluid.TemplateOptions _fluidOptions = null!;
    private IFluidTemplate _fluid = null!;
    private Fluid.TemplateContext _fluidContext = null!;

    private HandlebarsTemplate<object, object> _handlebars = null!;
    private ViewModel<DateTime> _handlebarsModel = null!;

    private IStubbleRenderer _stubble = null!;
    private RenderSettings _stubbleSettings = null!;
    private ViewModel<string> _stubbleModel = null!;

    public string Expected { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new PlaceholderRegistry();
        registry.Register("clinic.name", PlaceholderKind.Text);
        registry.Register("appointment.date", PlaceholderKind.Date);
        _engine = new TemplateEngine(registry);
        _ours = _engine.Compile(OurText);
        _ourValues = OurValues();

        _fluidOptions = new Fluid.TemplateOptions { CultureInfo = CultureInfo.InvariantCulture, TimeZone = TimeZoneInfo.Utc };
        _fluidOptions.MemberAccessStrategy.Register<PersonModel>();
        _fluidOptions.MemberAccessStrategy.Register<NamedModel>();
        _fluidOptions.MemberAccessStrategy.Register<DateModel<DateTimeOffset>>();
        _fluidOptions.MemberAccessStrategy.Register<ViewModel<DateTimeOffset>>();
        _fluid = ParseFluid(out var fluidParsedBy);
        Console.WriteLine($"// Fluid template {fluidParsedBy}");

        _fluidContext = FluidContext();

        var handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
        handlebars.RegisterHelper("formatDate", (context, arguments)
            => ((DateTime)arguments[0]!).ToString((string?)arguments[1], CultureInfo.InvariantCulture));
        _handlebars = handlebars.Compile(HandlebarsText);
        _handlebarsModel = HandlebarsView();

        _stubble = new StubbleBuilder().Build();
        _stubbleSettings = new RenderSettings { SkipHtmlEncoding = true };
        _stubbleModel = StubbleView();

        Expected = Ours_Render();
        var results = new Dictionary<string, string>
        {
            ["Fluid"] = Fluid_Render(),
            ["Handlebars"] = Handlebars_Render(),
            ["Stubble"] = Stubble_Render(),
            ["Ours (build)"] = Ours_BuildAndRender(),
            ["Fluid (build)"] = Fluid_BuildAndRender(),
            ["Handlebars (build)"] = Handlebars_BuildAndRender(),
            ["Stubble (build)"] = Stubble_BuildAndRender(),
        };
        foreach (var (engine, result) in results)
        {
            if (result != Expected)
            {
                throw new InvalidOperationException($"{engine} rendered\n  {result}\nbut ours rendered\n  {Expected}");
            }
        }

        Console.WriteLine($"// Rendered ({Expected.Length} chars): {Expected}");
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Render")]
    public string Ours_Render() => _ours.Render(_ourValues);

    [Benchmark]
    [BenchmarkCategory("Render")]
    public string Fluid_Render() => _fluid.Render(_fluidContext);

    [Benchmark]
    [BenchmarkCategory("Render")]
    public string Handlebars_Render() => _handlebars(_handlebarsModel);

    [Benchmark]
    [BenchmarkCategory("Render")]
    public string Stubble_Render() => _stubble.Render(StubbleText, _stubbleModel, _stubbleSettings);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Build+Render")]
    public string Ours_BuildAndRender() => _ours.Render(OurValues());

    [Benchmark]
    [BenchmarkCategory("Build+Render")]
    public string Fluid_BuildAndRender() => _fluid.Render(FluidContext());

    [Benchmark]
    [BenchmarkCategory("Build+Render")]
    public string Handlebars_BuildAndRender() => _handlebars(HandlebarsView());

    [Benchmark]
    [BenchmarkCategory("Build+Render")]
    public string Stubble_BuildAndRender() => _stubble.Render(StubbleText, StubbleView(), _stubbleSettings);

    /// <summary>
    /// Fluid's parser needs Parlot 1.5.x; where only an incompatible Parlot 2.x can be restored (as on the registry
    /// copy these results were measured with) the parser cannot even be constructed, so the same template is built
    /// as the syntax tree FluidParser produces for <see cref="FluidText"/>. Rendering runs the same Fluid code either
    /// way; only the (unmeasured) parse differs.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IFluidTemplate ParseFluid(out string parsedBy)
    {
        try
        {
            parsedBy = "parsed by FluidParser";
            return ParseWithFluidParser();
        }
        catch (MissingMethodException)
        {
            parsedBy = "built as a syntax tree (FluidParser is binary-incompatible with the restored Parlot)";
            return new FluidTemplate(
                new TextSpanStatement("Dear "),
                new OutputStatement(Member("Patient", "FirstName")),
                new TextSpanStatement(", your appointment at "),
                new OutputStatement(Member("Clinic", "Name")),
                new TextSpanStatement(" is on "),
                new OutputStatement(new FilterExpression(
                    Member("Appointment", "Date"),
                    "format_date",
                    [new FilterArgument(null, new LiteralExpression(new StringValue(DatePattern)))])),
                new TextSpanStatement(". Reply to this message if you need to rearrange. "),
                new OutputStatement(Member("Workspace", "Name")));
        }

        static MemberExpression Member(string parent, string child) => new([new IdentifierSegment(parent), new IdentifierSegment(child)]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IFluidTemplate ParseWithFluidParser()
        => new FluidParser().TryParse(FluidText, out var template, out var error) ? template : throw new InvalidOperationException(error);

    private TemplateValues OurValues()
        => _ours.CreateValues()
            .Set(BuiltInPlaceholders.PatientFirstName, Data.FirstName)
            .Set("clinic.name", Data.ClinicName)
            .Set("appointment.date", Data.Date)
            .Set(BuiltInPlaceholders.WorkspaceName, Data.WorkspaceName);

    private Fluid.TemplateContext FluidContext()
        => new(View(new DateTimeOffset(Data.Date.ToDateTimeUnspecified(), TimeSpan.Zero)), _fluidOptions);

    private static ViewModel<DateTime> HandlebarsView() => View(Data.Date.ToDateTimeUnspecified());

    private static ViewModel<string> StubbleView()
        => View(Data.Date.ToDateTimeUnspecified().ToString(DatePattern, CultureInfo.InvariantCulture));

    private static ViewModel<T> View<T>(T date) => new()
    {
        Patient = new PersonModel { FirstName = Data.FirstName },
        Clinic = new NamedModel { Name = Data.ClinicName },
        Appointment = new DateModel<T> { Date = date },
        Workspace = new NamedModel { Name = Data.WorkspaceName },
    };

    private sealed record AppointmentData(string FirstName, string ClinicName, LocalDate Date, string WorkspaceName);

    /// <summary>The view object the other engines read by reflection (Fluid by registered accessors).</summary>
    public sealed class ViewModel<T>
    {
        public required PersonModel Patient { get; init; }

        public required NamedModel Clinic { get; init; }

        public required DateModel<T> Appointment { get; init; }

        public required NamedModel Workspace { get; init; }
    }

    public sealed class PersonModel
    {
        public required string FirstName { get; init; }
    }

    public sealed class NamedModel
    {
        public required string Name { get; init; }
    }

    public sealed class DateModel<T>
    {
        public required T Date { get; init; }
    }
}

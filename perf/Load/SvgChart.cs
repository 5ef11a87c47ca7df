using System.Globalization;
using System.Net;
using System.Text;

namespace NexusFast.Load;

/// <summary>
/// A small line chart written as SVG by hand (no charting package here): x is seconds since the run started, one
/// polyline per series, a y axis starting at zero with five gridlines, a legend. Readable on GitHub and in a browser.
/// </summary>
public sealed class SvgChart(string title, string yLabel)
{
    private const int Width = 760, Height = 320, Left = 70, Right = 20, Top = 40, Bottom = 45;
    private readonly List<(string Name, string Color, IReadOnlyList<(double X, double Y)> Points)> _series = [];

    public SvgChart Add(string name, string color, IReadOnlyList<(double X, double Y)> points)
    {
        _series.Add((name, color, points));
        return this;
    }

    public string Render()
    {
        var all = _series.SelectMany(s => s.Points).ToList();
        double xMax = Math.Max(1, all.Count == 0 ? 1 : all.Max(p => p.X));
        double yMax = NiceCeiling(all.Count == 0 ? 1 : all.Max(p => p.Y));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        string X(double x) => F(Left + x / xMax * plotW);
        string Y(double y) => F(Top + plotH - y / yMax * plotH);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{WebUtility.HtmlEncode(title)}</text>\n");
        for (int g = 0; g <= 5; g++)
        {
            double y = yMax * g / 5;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(y)}\" y2=\"{Y(y)}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Y(y)}\" dy=\"4\" text-anchor=\"end\">{Label(y)}</text>\n");
        }
        for (int g = 0; g <= 10; g++)
        {
            double x = xMax * g / 10;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(x)}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{x:0.#}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"\n<text x=\"{Left + plotW / 2}\" y=\"{Height - 8}\" text-anchor=\"middle\">seconds since the first submission</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16 {Top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{WebUtility.HtmlEncode(yLabel)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\" fill=\"none\" stroke=\"#888\"/>\n");
        for (int s = 0; s < _series.Count; s++)
        {
            var (name, color, points) = _series[s];
            if (points.Count > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\" points=\"");
                foreach (var (x, y) in points) svg.Append(X(x)).Append(',').Append(Y(y)).Append(' ');
                svg.Append("\"/>\n");
            }
            int lx = Left + 10 + s * 190;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{lx}\" x2=\"{lx + 18}\" y1=\"{Top - 8}\" y2=\"{Top - 8}\" stroke=\"{color}\" stroke-width=\"3\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 24}\" y=\"{Top - 4}\">{WebUtility.HtmlEncode(name)}</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="value"/>: gridlines at round numbers.</summary>
    private static double NiceCeiling(double value)
    {
        if (value <= 0) return 1;
        double power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double step in (ReadOnlySpan<double>)[1, 2, 2.5, 5, 10])
        {
            if (step * power >= value) return step * power;
        }
        return 10 * power;
    }

    private static string Label(double y) =>
        y >= 1_000_000 ? (y / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M"
        : y >= 1_000 ? (y / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "k"
        : y.ToString("0.##", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}

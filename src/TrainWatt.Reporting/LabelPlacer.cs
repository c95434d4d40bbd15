namespace TrainWatt.Reporting;

/// <summary>A rectangle in image pixels: x to the right, y downwards.</summary>
public readonly record struct PixelBox(double Left, double Top, double Width, double Height)
{
    public double Right => Left + Width;

    public double Bottom => Top + Height;

    public double CenterX => Left + (Width / 2);

    public double CenterY => Top + (Height / 2);

    /// <summary>True when the two boxes share an area (touching edges do not count).</summary>
    public bool Overlaps(PixelBox other) => Left < other.Right && other.Left < Right && Top < other.Bottom && other.Top < Bottom;

    /// <summary>True when this box lies wholly inside <paramref name="outer"/>.</summary>
    public bool IsInside(PixelBox outer) => Left >= outer.Left && Right <= outer.Right && Top >= outer.Top && Bottom <= outer.Bottom;

    /// <summary>A square of half-side <paramref name="radius"/> around a point.</summary>
    public static PixelBox Around(double x, double y, double radius) => new(x - radius, y - radius, 2 * radius, 2 * radius);
}

/// <summary>A label to place next to its point (pixels), with the size its text takes when drawn.</summary>
public sealed record LabelRequest(string Text, double PointX, double PointY, double Width, double Height);

/// <summary>Where a label went: its box and whether it sits far enough from its point to need a leader line.</summary>
public sealed record PlacedLabel(int Index, string Text, double PointX, double PointY, PixelBox Box, bool Leader);

/// <summary>
/// Greedy label placement for scatter plots: each label tries positions around its point, nearest first (right, upper
/// right, lower right, left, ..., then further out on 16 directions), and takes the first one inside the plot area that
/// overlaps no marker and no label already placed. Crowded points choose first. <see cref="Place"/> returns null when a
/// label finds no free position, so the caller can fall back to a numbered key.
/// </summary>
public static class LabelPlacer
{
    /// <summary>Distances (px) from a point to its label's nearest edge; beyond the first a leader line is drawn.</summary>
    private static readonly double[] Radii = [4, 10, 22, 36, 54, 76, 102, 132, 166, 204];

    /// <summary>Directions in degrees, counter-clockwise from the right, in order of preference.</summary>
    private static readonly double[] Angles = [0, 30, -30, 180, 150, -150, 90, -90, 60, -60, 120, -120, 15, -15, 165, -165, 45, -45, 135, -135];

    /// <summary>
    /// Places every label inside <paramref name="area"/>, clear of every point's marker (a square of half-side
    /// <paramref name="markerRadius"/>), of <paramref name="obstacles"/> and of each other; null when one cannot be placed.
    /// </summary>
    public static IReadOnlyList<PlacedLabel>? Place(IReadOnlyList<LabelRequest> labels, PixelBox area, double markerRadius, IReadOnlyList<PixelBox>? obstacles = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var taken = labels.Select(l => PixelBox.Around(l.PointX, l.PointY, markerRadius)).Concat(obstacles ?? []).ToList();
        var placed = new PlacedLabel?[labels.Count];

        // Crowded points first: the number of other points within 80 px, then left to right for a stable order.
        var order = Enumerable.Range(0, labels.Count)
            .OrderByDescending(i => labels.Count(o => !ReferenceEquals(o, labels[i]) && Math.Abs(o.PointX - labels[i].PointX) < 80 && Math.Abs(o.PointY - labels[i].PointY) < 80))
            .ThenBy(i => labels[i].PointX)
            .ThenBy(i => i)
            .ToArray();
        foreach (int i in order)
        {
            var label = labels[i];
            PixelBox? found = null;
            bool leader = false;
            foreach (double r in Radii)
            {
                foreach (double degrees in Angles)
                {
                    double a = degrees * Math.PI / 180;
                    double dx = Math.Cos(a);
                    double dy = -Math.Sin(a);
                    double cx = label.PointX + (dx * (markerRadius + r + (label.Width / 2)));
                    double cy = label.PointY + (dy * (markerRadius + r + (label.Height / 2)));
                    var box = new PixelBox(cx - (label.Width / 2), cy - (label.Height / 2), label.Width, label.Height);
                    if (box.IsInside(area) && !taken.Any(box.Overlaps))
                    {
                        found = box;
                        leader = r > Radii[0];
                        break;
                    }
                }

                if (found is not null)
                {
                    break;
                }
            }

            if (found is not { } chosen)
            {
                return null;
            }

            taken.Add(chosen);
            placed[i] = new PlacedLabel(i, label.Text, label.PointX, label.PointY, chosen, leader);
        }

        return placed.Select(p => p!).ToArray();
    }

    /// <summary>The point of <paramref name="box"/> nearest to (x, y): where a leader line from the point meets the label.</summary>
    public static (double X, double Y) NearestPoint(PixelBox box, double x, double y)
        => (Math.Clamp(x, box.Left, box.Right), Math.Clamp(y, box.Top, box.Bottom));
}

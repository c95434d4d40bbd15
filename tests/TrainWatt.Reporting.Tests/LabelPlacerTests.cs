namespace TrainWatt.Reporting.Tests;

public sealed class LabelPlacerTests
{
    private static readonly PixelBox Area = new(0, 0, 400, 300);

    [Fact]
    public void A_lone_label_goes_right_of_its_point_at_the_nearest_distance()
    {
        // Hand derivation: direction 0° (right), radius 4, marker radius 6: centre x = 100 + 6 + 4 + 40/2 = 130,
        // y = 150; the 40 x 10 box spans x 110..150, y 145..155; no leader line at the first radius.
        var placed = LabelPlacer.Place([new LabelRequest("a", 100, 150, 40, 10)], Area, 6)!;
        Assert.Equal(new PixelBox(110, 145, 40, 10), placed[0].Box);
        Assert.False(placed[0].Leader);
    }

    [Fact]
    public void Labels_of_close_points_take_different_places_clear_of_every_marker_and_inside_the_area()
    {
        // Five points within 12 px, each with a long label: the right-hand slot can hold only one of them.
        var requests = Enumerable.Range(0, 5).Select(i => new LabelRequest($"configuration {i}", 200 + (3 * i), 150 + (3 * i), 120, 16)).ToList();
        var placed = LabelPlacer.Place(requests, Area, 6)!;
        Assert.Equal(5, placed.Count);
        Assert.Equal(Enumerable.Range(0, 5), placed.Select(p => p.Index));
        foreach (var p in placed)
        {
            Assert.True(p.Box.IsInside(Area), $"{p.Text} at {p.Box} leaves the area");
            Assert.DoesNotContain(placed, q => q.Index != p.Index && q.Box.Overlaps(p.Box));
            Assert.DoesNotContain(requests, r => PixelBox.Around(r.PointX, r.PointY, 6).Overlaps(p.Box));
        }

        Assert.Contains(placed, p => p.Leader); // at least one had to move beyond the first radius
    }

    [Fact]
    public void A_label_with_no_free_place_makes_the_placement_fail()
    {
        // The area is only just larger than the first label: the second cannot be placed anywhere.
        var tiny = new PixelBox(0, 0, 60, 30);
        Assert.Null(LabelPlacer.Place([new LabelRequest("first", 5, 15, 40, 10), new LabelRequest("second", 8, 15, 40, 10)], tiny, 3));
    }

    [Fact]
    public void Boxes_overlap_only_when_they_share_an_area()
    {
        var a = new PixelBox(0, 0, 10, 10);
        Assert.True(a.Overlaps(new PixelBox(9, 9, 5, 5)));
        Assert.False(a.Overlaps(new PixelBox(10, 0, 5, 5))); // touching edges
        Assert.False(a.Overlaps(new PixelBox(0, 11, 5, 5)));
        Assert.Equal((10.0, 4.0), LabelPlacer.NearestPoint(a, 20, 4));
    }
}

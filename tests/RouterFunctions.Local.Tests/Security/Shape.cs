using System.Text;

namespace RouterFunctions.Local.Tests.Security;

/// <summary>
/// The shape of a valid JSON body, rendered as JSON text with mutations at rate <c>rate</c>: at each node the value may
/// become a hostile one of any type; an object may lose fields, repeat one (duplicate keys), gain extra or misspelt
/// ones; an array may get a hostile length. Rate 0 renders a valid body.
/// </summary>
internal abstract class Shape
{
    public abstract string Render(Hostile h, double rate);

    public static Shape Value(Func<Hostile, string> valid) => new Leaf(valid);

    public static Shape String(Func<Hostile, string> valid) => new Leaf(h => Hostile.Quote(valid(h)));

    public static Shape Object(params (string Name, Shape Value)[] fields) => new Obj(fields);

    public static Shape Array(Shape item, int min, int max, int hostileMax = 1_000) => new Arr(item, min, max, hostileMax);

    /// <summary>The inner shape's JSON text as the host may hand it over: a JSON string, encoded twice, base64, or the object itself.</summary>
    public static Shape Encoded(Shape inner) => new Text(inner);

    public static Shape OneOf(params Shape[] shapes) => new Choice(shapes);

    private sealed class Leaf(Func<Hostile, string> valid) : Shape
    {
        public override string Render(Hostile h, double rate) => h.Chance(rate) ? h.Json() : valid(h);
    }

    private sealed class Choice(Shape[] shapes) : Shape
    {
        public override string Render(Hostile h, double rate) => h.Pick(shapes).Render(h, rate);
    }

    private sealed class Obj((string Name, Shape Value)[] fields) : Shape
    {
        public override string Render(Hostile h, double rate)
        {
            if (h.Chance(rate / 4))
            {
                return h.Json();
            }

            var members = new List<string>();
            foreach (var (name, value) in fields)
            {
                if (h.Chance(rate / 2))
                {
                    continue; // missing
                }

                var key = h.Chance(rate / 6) ? h.Key() : name;
                members.Add(Hostile.Quote(key) + ":" + value.Render(h, rate));
                if (h.Chance(rate / 5))
                {
                    members.Add(Hostile.Quote(name) + ":" + value.Render(h, Math.Max(rate, 0.5))); // duplicate key
                }
            }

            if (h.Chance(rate / 3))
            {
                for (var n = h.Between(1, 6); n > 0; n--)
                {
                    members.Insert(h.Next(members.Count + 1), Hostile.Quote(h.Key()) + ":" + h.Json(1));
                }
            }

            return "{" + string.Join(",", members) + "}";
        }
    }

    private sealed class Arr(Shape item, int min, int max, int hostileMax) : Shape
    {
        public override string Render(Hostile h, double rate)
        {
            if (h.Chance(rate / 4))
            {
                return h.Json();
            }

            var count = h.Chance(rate / 4) ? h.Pick([0, max + 1, h.Between(max + 1, Math.Max(max + 2, hostileMax))]) : h.Between(min, max + 1);
            var items = new string[count];
            for (var i = 0; i < count; i++)
            {
                items[i] = item.Render(h, rate);
            }

            return "[" + string.Join(",", items) + "]";
        }
    }

    private sealed class Text(Shape inner) : Shape
    {
        public override string Render(Hostile h, double rate)
        {
            if (h.Chance(rate / 3))
            {
                return h.Json();
            }

            var json = inner.Render(h, rate);
            return h.Next(5) switch
            {
                0 => json,
                1 => Hostile.Quote(Hostile.Quote(json)),
                2 => Hostile.Quote(Convert.ToBase64String(Encoding.UTF8.GetBytes(json))),
                3 when h.Chance(0.5) => Hostile.Quote(Convert.ToBase64String([.. Encoding.UTF8.GetBytes(json), .. h.InvalidUtf8()])),
                _ => Hostile.Quote(json),
            };
        }
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SiteWatch.TestKit;

/// <summary>
/// Writes small MaxMind DB (.mmdb) files for tests, following the MaxMind DB file format specification 2.0
/// (MaxMind.Db only reads). The file is an IPv6 database like the real ones: IPv4 networks live at ::/96.
/// Layout: the binary search tree (one node per bit of a network's prefix, two records per node), 16 zero bytes,
/// the data section (records encoded as typed fields: maps, UTF-8 strings, unsigned integers, arrays), then
/// "\xAB\xCD\xEFMaxMind.com" and the metadata map. Networks must not overlap.
/// </summary>
public sealed class MmdbWriter
{
    private static readonly byte[] MetadataMarker = [0xAB, 0xCD, 0xEF, .. Encoding.ASCII.GetBytes("MaxMind.com")];

    private readonly Node root = new();
    private readonly List<object> records = [];

    public string DatabaseType { get; init; } = "SiteWatch-Test-Country";

    /// <summary>Bits per search-tree record: 24 (6-byte nodes) or 28 (7-byte nodes).</summary>
    public int RecordSize { get; init; } = 28;

    /// <summary>An ip-location-db record: <c>{ "country_code": code }</c>.</summary>
    public MmdbWriter AddCountryCode(string cidr, string code) =>
        Add(cidr, new Dictionary<string, object> { ["country_code"] = code });

    /// <summary>A GeoLite2-Country record: <c>{ "country": { "iso_code": code, "geoname_id": id, "names": { "en": name } } }</c>.</summary>
    public MmdbWriter AddGeoLite2Country(string cidr, string code, string englishName, uint geonameId) =>
        Add(cidr, new Dictionary<string, object>
        {
            ["country"] = new Dictionary<string, object>
            {
                ["geoname_id"] = geonameId,
                ["iso_code"] = code,
                ["names"] = new Dictionary<string, object> { ["en"] = englishName },
            },
        });

    /// <summary>Any record: values are strings, uints, ulongs, dictionaries of string to value, or lists of values.</summary>
    public MmdbWriter Add(string cidr, IReadOnlyDictionary<string, object> record)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var address = IPAddress.Parse(cidr[..slash]);
        var prefix = int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var bits = new byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.GetAddressBytes().CopyTo(bits, 12);
            prefix += 96;
        }
        else
        {
            bits = address.GetAddressBytes();
        }

        if (prefix is < 1 or > 128)
        {
            throw new ArgumentException($"{cidr}: prefix out of range", nameof(cidr));
        }

        records.Add(record);
        var leaf = new Leaf(records.Count - 1);
        var node = root;
        for (var i = 0; i < prefix; i++)
        {
            var bit = (bits[i / 8] >> (7 - (i % 8))) & 1;
            if (i == prefix - 1)
            {
                if (node.Children[bit] is not null)
                {
                    throw new ArgumentException($"{cidr} overlaps a network added before", nameof(cidr));
                }

                node.Children[bit] = leaf;
                break;
            }

            switch (node.Children[bit])
            {
                case null:
                    var next = new Node();
                    node.Children[bit] = next;
                    node = next;
                    break;
                case Node inner:
                    node = inner;
                    break;
                default:
                    throw new ArgumentException($"{cidr} lies inside a network added before", nameof(cidr));
            }
        }

        return this;
    }

    public void WriteTo(string path) => File.WriteAllBytes(path, Build());

    public byte[] Build()
    {
        if (RecordSize is not (24 or 28))
        {
            throw new InvalidOperationException("RecordSize must be 24 or 28");
        }

        // Number the nodes breadth-first; the root is node 0.
        var nodes = new List<Node> { root };
        for (var i = 0; i < nodes.Count; i++)
        {
            nodes.AddRange(nodes[i].Children.OfType<Node>());
        }

        var index = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < nodes.Count; i++)
        {
            index[nodes[i]] = i;
        }

        // Data section: each record once; a record value is node_count + 16 + its offset in the data section.
        var data = new MemoryStream();
        var offsets = new List<long>();
        foreach (var record in records)
        {
            offsets.Add(data.Length);
            Encode(data, record);
        }

        var nodeCount = (uint)nodes.Count;
        uint RecordValue(object? child) => child switch
        {
            null => nodeCount,
            Node n => (uint)index[n],
            Leaf l => nodeCount + 16 + (uint)offsets[l.Record],
            _ => throw new InvalidOperationException(),
        };

        var limit = 1u << RecordSize;
        var file = new MemoryStream();
        foreach (var node in nodes)
        {
            var left = RecordValue(node.Children[0]);
            var right = RecordValue(node.Children[1]);
            if (left >= limit || right >= limit)
            {
                throw new InvalidOperationException($"the tree does not fit {RecordSize}-bit records");
            }

            WriteBigEndian(file, left & 0xFFFFFF, 3);
            if (RecordSize == 28)
            {
                // The middle byte holds the top four bits of each record: left in the high nibble, right in the low.
                file.WriteByte((byte)(((left >> 24) << 4) | (right >> 24)));
            }

            WriteBigEndian(file, right & 0xFFFFFF, 3);
        }

        file.Write(new byte[16]);
        data.Position = 0;
        data.CopyTo(file);
        file.Write(MetadataMarker);
        Encode(file, new Dictionary<string, object>
        {
            ["node_count"] = nodeCount,
            ["record_size"] = (ushort)RecordSize,
            ["ip_version"] = (ushort)6,
            ["database_type"] = DatabaseType,
            ["languages"] = new List<object> { "en" },
            ["binary_format_major_version"] = (ushort)2,
            ["binary_format_minor_version"] = (ushort)0,
            ["build_epoch"] = 1_780_000_000UL,
            ["description"] = new Dictionary<string, object> { ["en"] = "SiteWatch test country database" },
        });
        return file.ToArray();
    }

    // Data field types of the specification.
    private const int Utf8String = 2;
    private const int Uint16 = 5;
    private const int Uint32 = 6;
    private const int Map = 7;
    private const int Uint64 = 9;
    private const int Array = 11;

    private static void Encode(Stream output, object value)
    {
        switch (value)
        {
            case string s:
                var bytes = Encoding.UTF8.GetBytes(s);
                Control(output, Utf8String, bytes.Length);
                output.Write(bytes);
                break;
            case ushort u16:
                Unsigned(output, Uint16, u16);
                break;
            case uint u32:
                Unsigned(output, Uint32, u32);
                break;
            case ulong u64:
                Unsigned(output, Uint64, u64);
                break;
            case IReadOnlyDictionary<string, object> map:
                Control(output, Map, map.Count);
                foreach (var (key, item) in map)
                {
                    Encode(output, key);
                    Encode(output, item);
                }

                break;
            case IReadOnlyList<object> list:
                Control(output, Array, list.Count);
                foreach (var item in list)
                {
                    Encode(output, item);
                }

                break;
            default:
                throw new ArgumentException($"cannot encode a {value.GetType().Name}", nameof(value));
        }
    }

    /// <summary>Unsigned integers are big-endian in as few bytes as the value needs (zero takes none).</summary>
    private static void Unsigned(Stream output, int type, ulong value)
    {
        var length = 0;
        for (var v = value; v != 0; v >>= 8)
        {
            length++;
        }

        Control(output, type, length);
        WriteBigEndian(output, value, length);
    }

    /// <summary>
    /// The control byte: type in the top three bits (0 = extended, the type minus 7 in the next byte), payload size
    /// in the low five; sizes of 29 and more continue in one, two or three further bytes after any type byte.
    /// </summary>
    private static void Control(Stream output, int type, int size)
    {
        var (sizeBits, extra, extraLength) = size switch
        {
            < 29 => (size, 0, 0),
            < 29 + 256 => (29, size - 29, 1),
            < 285 + 65_536 => (30, size - 285, 2),
            _ => (31, size - 65_821, 3),
        };
        if (type <= 7)
        {
            output.WriteByte((byte)((type << 5) | sizeBits));
        }
        else
        {
            output.WriteByte((byte)sizeBits);
            output.WriteByte((byte)(type - 7));
        }

        WriteBigEndian(output, (ulong)extra, extraLength);
    }

    private static void WriteBigEndian(Stream output, ulong value, int length)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, value);
        output.Write(buffer[(8 - length)..]);
    }

    private sealed class Node
    {
        public object?[] Children { get; } = new object?[2];
    }

    private sealed record Leaf(int Record);
}

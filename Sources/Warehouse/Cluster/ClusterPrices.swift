/// On-demand prices per node-hour, in US dollars, by region and node type: the figures of AWS's
/// Amazon Redshift pricing page for US East (N. Virginia) and US West (Oregon), which charge
/// alike. Written down from that page without network access here (2026-11-30): check them
/// before relying on them, and set `[DWH] DWH_HOURLY_PRICE` for a negotiated or newer price.
public enum ClusterPrices {
    public static let source = "AWS's Amazon Redshift on-demand pricing (us-east-1, us-west-2), as of 2026-11-30"

    static let perNodeHour: [String: [String: Double]] = {
        let usPrices: [String: Double] = [
            "ra3.large": 0.543, "ra3.xlplus": 1.086, "ra3.4xlarge": 3.26, "ra3.16xlarge": 13.04,
            "dc2.large": 0.25, "dc2.8xlarge": 4.80,
        ]
        return ["us-east-1": usPrices, "us-west-2": usPrices]
    }()

    /// Dollars an hour for the whole cluster; nil when the region or node type is not in the table.
    public static func hourly(nodeType: String, nodes: Int, region: String, override: Double? = nil) -> Double? {
        if let override { return override * Double(nodes) }
        return perNodeHour[region]?[nodeType].map { $0 * Double(nodes) }
    }
}

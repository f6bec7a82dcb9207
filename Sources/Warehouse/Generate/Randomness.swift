/// Deterministic randomness for the generator: the same seed gives the same bytes on every
/// machine, which Swift's own generators do not promise.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A well-spread 64-bit value from any input: the finaliser of SplitMix64.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A pure function of (seed, stream, index): lets the catalog describe song `i` without
    /// storing it, so a million songs cost no memory.
    static func hash(_ seed: UInt64, _ stream: UInt64, _ index: Int) -> UInt64 {
        mix(mix(seed &+ stream &* 0xD1B5_4A32_D192_ED03) ^ UInt64(truncatingIfNeeded: index))
    }

    /// In 0..<1.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func chance(_ probability: Double) -> Bool { unit() < probability }
}

extension UInt64 {
    func below(_ bound: Int) -> Int { Int(self % UInt64(bound)) }
    /// In 0..<1, from the top bits.
    var unit: Double { Double(self >> 11) / Double(1 << 53) }
}

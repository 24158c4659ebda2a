//! Text fingerprints: a fast, deterministic 64-bit hash of a text, used as the key of
//! caches that keep work done for a text that has not changed (a module's parts, its
//! lines, the findings of a method).

const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// A 64-bit fingerprint of a text: four independent lanes over 32-byte blocks, so long texts
/// hash at memory speed. Equal texts give equal fingerprints; a collision between different
/// texts (about 2^-64) would only let a cache keep findings of a text it did not see.
pub fn text_hash(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut lanes: [u64; 4] =
        [0x243f_6a88_85a3_08d3, 0x1319_8a2e_0370_7344, 0xa409_3822_299f_31d0, 0x082e_fa98_ec4e_6c89];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            let word = u64::from_le_bytes(word.try_into().expect("8 bytes"));
            *lane = (*lane ^ word).wrapping_mul(K).rotate_left(31);
        }
    }
    let mut hash = (bytes.len() as u64)
        ^ lanes[0]
        ^ lanes[1].rotate_left(17)
        ^ lanes[2].rotate_left(34)
        ^ lanes[3].rotate_left(51);
    for word in blocks.remainder().chunks(8) {
        let mut padded = [0u8; 8];
        padded[..word.len()].copy_from_slice(word);
        hash = (hash ^ u64::from_le_bytes(padded)).wrapping_mul(K).rotate_left(29);
    }
    finish(hash)
}

/// Spreads every input bit over the whole word (the murmur3 finaliser).
fn finish(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

//! Fast, deterministic hashing for the rules engine's caches: hash maps keyed by values
//! that are already hashes, and the text fingerprints of the syntax layer.
//!
//! The standard library's SipHash resists flooding by untrusted keys; our keys are names and
//! fingerprints of the user's own code, looked up tens of thousands of times per keystroke,
//! so a multiply-rotate hash is the better trade.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Fingerprints of texts are the syntax layer's (a parse keeps those of its parts across
/// edits); they are used here as cache keys.
pub use bsl_syntax::text_hash;

const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// A multiply-rotate hasher for small keys (integers, short names, pairs of them).
#[derive(Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.write_u64(u64::from_le_bytes(word.try_into().expect("8 bytes")));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut padded = [0u8; 8];
            padded[..rest.len()].copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(padded));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.write_u64(u64::from(value));
    }

    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.hash = (self.hash.rotate_left(5) ^ value).wrapping_mul(K);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn finish(&self) -> u64 {
        // The table takes its bucket from the low bits: fold the well-mixed high ones down.
        self.hash ^ (self.hash >> 29)
    }
}

pub type FastBuild = BuildHasherDefault<FastHasher>;
pub type FastMap<K, V> = HashMap<K, V, FastBuild>;
pub type FastSet<K> = HashSet<K, FastBuild>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_tell_texts_apart() {
        let texts =
            ["", "a", "b", "ab", "ba", &"Процедура А()\nКонецПроцедуры".repeat(3), &"x".repeat(32), &"x".repeat(33)];
        let hashes: FastSet<u64> = texts.iter().map(|t| text_hash(t)).collect();
        assert_eq!(hashes.len(), texts.len());
        assert_eq!(text_hash("Возврат 1;"), text_hash(&String::from("Возврат 1;")));
        // One character changed anywhere in a long text changes the fingerprint.
        let long = "Сообщить(\"Привет\");\n".repeat(100);
        for at in [0, 31, 32, 1000, long.len() - 1] {
            let mut changed = long.clone().into_bytes();
            changed[at] ^= 1;
            assert_ne!(text_hash(&long), text_hash(std::str::from_utf8(&changed).unwrap_or("?")), "at {at}");
        }
    }

    #[test]
    fn fast_maps_hold_many_keys() {
        let mut map: FastMap<(&str, u64), u64> = FastMap::default();
        for i in 0..10_000u64 {
            map.insert(("a_names", text_hash(&i.to_string())), i);
        }
        assert_eq!(map.len(), 10_000);
        assert_eq!(map[&("a_names", text_hash("42"))], 42);
    }
}

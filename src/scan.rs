//! Byte scans the stages share.

/// The offset of the first byte of `bytes` that is one of `needles`, looking at eight
/// bytes at a time: a word holds byte `b` exactly when `w ^ b*0x01..01` has a zero
/// byte, which `(x - 0x01..01) & !x & 0x80..80` detects without false positives. For
/// short and mostly needle-free text such as CSV cells and news paragraphs, where a
/// call into a vectorised search costs more than it saves.
pub(crate) fn find_any(bytes: &[u8], needles: [u8; 4]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        let any = needles
            .iter()
            .fold(0, |any, &b| any | zero_byte(w ^ (ONES * u64::from(b))));
        if any != 0 {
            return word
                .iter()
                .position(|b| needles.contains(b))
                .map(|i| offset + i);
        }
        offset += 8;
    }
    words
        .remainder()
        .iter()
        .position(|b| needles.contains(b))
        .map(|i| offset + i)
}

#[cfg(test)]
mod tests {
    use super::find_any;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn finds_the_first_needle(bytes in prop::collection::vec(any::<u8>(), 0..40), needles in any::<[u8; 4]>()) {
            let expected = bytes.iter().position(|b| needles.contains(b));
            prop_assert_eq!(find_any(&bytes, needles), expected);
        }
    }

    #[test]
    fn needles_in_every_lane_and_the_tail() {
        let needles = [b',', b'"', 0xC2, 0xE2];
        for at in 0..20 {
            let mut bytes = vec![b'a'; 20];
            bytes[at] = needles[at % 4];
            assert_eq!(find_any(&bytes, needles), Some(at));
        }
        assert_eq!(find_any(&[0x80; 17], needles), None);
    }
}

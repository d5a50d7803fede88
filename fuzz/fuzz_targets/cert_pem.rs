//! The certificate reader behind `aitls ca` and `aitls server` decisions.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = aitls::cert::parse_pem(data) {
        let _ = aitls::cert::is_signed_by(&info, &info.spki_der);
    }
    if let Ok(info) = aitls::cert::parse_der(data) {
        let _ = aitls::key_type::key_type_of_spki(&info.spki_der);
        let _ = aitls::cert::is_signed_by(&info, &info.spki_der);
    }
});

//! The configuration file readers (`Config::parse`, `Config::parse_profile`) on any text.
//! Checked: no panic; profile names keep the naming rule; reading one profile alone gives what
//! reading the whole file gives; what `oat` would save of a parsed file parses back to the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oat::config::{Config, check_name};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let path = Path::new("config.toml");
    let config = match Config::parse(&text, path) {
        Ok(config) => config,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    for (name, profile) in &config.profiles {
        assert!(check_name(name).is_ok(), "a bad profile name was accepted: {name:?}");
        let (store, alone) = Config::parse_profile(&text, path, name).expect("a profile of a valid file reads alone");
        assert_eq!(store, config.store);
        assert_eq!(toml::to_string(&alone).expect("serializes"), toml::to_string(profile).expect("serializes"));
    }
    // `Config::save` writes `to_string_pretty`: it must read back as what was read.
    let saved = toml::to_string_pretty(&config).expect("a parsed config serializes");
    let again = Config::parse(&saved, path).unwrap_or_else(|e| panic!("a saved config does not parse: {e}\n{saved}"));
    assert_eq!(toml::to_string_pretty(&again).expect("serializes"), saved, "saving is not stable");
});

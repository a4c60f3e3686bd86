//! Every row of both guides' proxy tables and the update table, transcribed
//! by hand from the seed guides (links resolved by the rules in
//! shared/seeds/README.md), checked against `lookup`: exactly those
//! resources, with the footnote only where the guide puts it.

use mde_migrate::catalog::Catalog;
use mde_migrate::lookup::{LookupError, lookup, parse_os_parts};

/// (value, system, [(title, url)])
type Expected = Vec<(&'static str, &'static str, Vec<(String, String)>)>;
/// (value, systems, title, url)
type Table = Vec<(&'static str, Vec<&'static str>, &'static str, String)>;

const DE: &str = "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/";

fn catalog() -> &'static Catalog {
    Catalog::embedded().unwrap_or_else(|e| panic!("{e}"))
}

/// (guide, value, system names as the guide names them, resource title, url)
fn generic_rows() -> Table {
    let windows = vec![
        "Windows 11",
        "Windows 10",
        "Windows Server 2022",
        "Windows Server 2019",
        "Windows Server 1803, or later",
        "Windows Server 2016",
        "Windows Server 2012 R2",
    ];
    vec![
        (
            "P1",
            windows.clone(),
            "Configure and validate Microsoft Defender Antivirus network connections",
            format!("{DE}configure-network-connections-microsoft-defender-antivirus"),
        ),
        (
            "P1",
            vec!["macOS"],
            "Defender for Endpoint on macOS: Network connections",
            format!("{DE}microsoft-defender-endpoint-mac#network-connections"),
        ),
        (
            "P1",
            vec!["Linux"],
            "Defender for Endpoint on Linux: Network connections",
            format!("{DE}microsoft-defender-endpoint-linux#network-connections"),
        ),
        (
            "P2",
            windows,
            "Configure machine proxy and internet connectivity settings",
            format!("{DE}configure-proxy-internet"),
        ),
        (
            "P2",
            vec!["Windows Server 2008 R2 SP1", "Windows 8.1", "Windows 7 SP1"],
            "Configure proxy and internet connectivity settings",
            format!("{DE}onboard-downlevel#configure-proxy-and-internet-connectivity-settings"),
        ),
        (
            "P2",
            vec!["macOS"],
            "Defender for Endpoint on macOS: Network connections",
            format!("{DE}microsoft-defender-endpoint-mac#network-connections"),
        ),
    ]
}

fn symantec_rows() -> Table {
    let macs = vec![
        "macOS 10.15 (Catalina)",
        "macOS 10.14 (Mojave)",
        "macOS 10.13 (High Sierra)",
    ];
    vec![
        ("EDR", vec!["Windows 10", "Windows Server 2019", "Windows Server 1803 or later"], "Configure machine proxy and internet connectivity settings", format!("{DE}configure-proxy-internet")),
        ("EDR", vec!["Windows Server 2016", "Windows Server 2012 R2", "Windows Server 2008 R2 SP1", "Windows 8.1", "Windows 7 SP1"], "Configure proxy and internet connectivity settings", format!("{DE}onboard-downlevel#configure-proxy-and-internet-connectivity-settings")),
        ("EDR", macs.clone(), "Microsoft Defender for Endpoint on macOS: Network connections", format!("{DE}microsoft-defender-atp-mac#network-connections")),
        ("Antivirus", vec!["Windows 10", "Windows Server 2019", "Windows Server 1803 or later", "Windows Server 2016"], "Configure and validate Microsoft Defender Antivirus network connections", "https://learn.microsoft.com/windows/security/threat-protection/microsoft-defender-antivirus/configure-network-connections-microsoft-defender-antivirus".to_string()),
        ("Antivirus", macs, "Microsoft Defender for Endpoint on Mac: Network connections", format!("{DE}microsoft-defender-atp-mac#network-connections")),
        ("Antivirus", vec!["RHEL 7.2+", "CentOS Linux 7.2+", "Ubuntu 16 LTS, or higher LTS", "SLES 12+", "Debian 9+", "Oracle Linux 7.2"], "Microsoft Defender for Endpoint on Linux: Network connections", format!("{DE}microsoft-defender-atp-linux#network-connections")),
    ]
}

/// Every (value, system) the table lists, with the resources expected.
fn expected(rows: &Table) -> Expected {
    let mut out: Expected = Vec::new();
    for (value, systems, title, url) in rows {
        for s in systems {
            match out.iter_mut().find(|(v, os, _)| v == value && os == s) {
                Some(entry) => entry.2.push((title.to_string(), url.clone())),
                None => out.push((value, s, vec![(title.to_string(), url.clone())])),
            }
        }
    }
    out
}

fn check_guide(guide: &str, rows: &Table) {
    let all = expected(rows);
    for (value, os, resources) in &all {
        let found = lookup(catalog(), Some(guide), os, Some(value))
            .unwrap_or_else(|e| panic!("{guide} {value} {os}: {e}"));
        let for_os: Vec<_> = found.iter().filter(|r| r.os == *os).collect();
        assert!(
            !for_os.is_empty(),
            "{guide} {value} {os}: nothing for that system in {found:?}"
        );
        let got: Vec<(String, String)> = for_os
            .iter()
            .flat_map(|r| r.resources.iter().map(|x| (x.title.clone(), x.url.clone())))
            .collect();
        assert_eq!(&got, resources, "{guide} {value} {os}");
        for r in &for_os {
            let is_plan = guide == "generic-2023";
            assert_eq!(r.plan.as_deref(), is_plan.then_some(*value));
            assert_eq!(r.capability.as_deref(), (!is_plan).then_some(*value));
        }
    }
    // And nothing the guide does not list: every row returned is expected.
    for (value, os, _) in &all {
        for r in lookup(catalog(), Some(guide), os, None).unwrap_or_else(|e| panic!("{e}")) {
            let v = r.plan.clone().or(r.capability.clone()).unwrap_or_default();
            assert!(
                all.iter().any(|(ev, eos, _)| *ev == v && *eos == r.os),
                "{guide} {value} {os}: unexpected {r:?}"
            );
        }
    }
}

#[test]
fn generic_proxy_table_row_for_row() {
    check_guide("generic-2023", &generic_rows());
}

#[test]
fn symantec_proxy_table_row_for_row() {
    check_guide("symantec-2021", &symantec_rows());
}

#[test]
fn the_unified_solution_footnote_is_on_server_2016_and_2012_r2_only() {
    let note = "Windows Server 2016 and Windows Server 2012 R2 need the modern, unified solution";
    let link =
        format!("{DE}configure-server-endpoints#windows-server-2012-r2-and-windows-server-2016");
    for os in ["Windows Server 2016", "Windows Server 2012 R2"] {
        for plan in ["P1", "P2"] {
            let rows = lookup(catalog(), Some("generic-2023"), os, Some(plan))
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].footnotes.len(), 1, "{os} {plan}");
            assert!(
                rows[0].footnotes[0].starts_with("* ")
                    && rows[0].footnotes[0].contains(note)
                    && rows[0].footnotes[0].contains(&link)
            );
        }
    }
    for os in [
        "Windows 11",
        "Windows Server 2019",
        "Windows 7 SP1",
        "macOS",
        "Linux",
    ] {
        for r in lookup(catalog(), Some("generic-2023"), os, None).unwrap_or_else(|e| panic!("{e}"))
        {
            assert!(r.footnotes.is_empty(), "{os}: {r:?}");
        }
    }
    for r in lookup(
        catalog(),
        Some("symantec-2021"),
        "Windows Server 2016",
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"))
    {
        assert!(
            r.footnotes.is_empty(),
            "the Symantec guide has no footnote: {r:?}"
        );
    }
}

#[test]
fn the_update_table_row_for_row() {
    let g = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let expected = [
        (
            "Windows",
            "Microsoft Update",
            "https://learn.microsoft.com/windows/deployment/update/how-windows-update-works",
        ),
        (
            "macOS",
            "How to update the software on your Mac",
            "https://support.apple.com/HT201541",
        ),
        (
            "iOS",
            "Update your iPhone, iPad, or iPod touch",
            "https://support.apple.com/HT204204",
        ),
        (
            "Android",
            "Check & update your Android version",
            "https://support.google.com/android/answer/7680439",
        ),
        (
            "Linux",
            "Linux 101: Updating Your System",
            "https://www.linux.com/training-tutorials/linux-101-updating-your-system",
        ),
    ];
    assert_eq!(g.update_table.len(), expected.len());
    for (row, (os, title, url)) in g.update_table.iter().zip(expected) {
        assert_eq!(row.os, os);
        let link = g.link(&row.link).unwrap_or_else(|| panic!("link"));
        assert_eq!((link.title.as_str(), link.url.as_str()), (title, url));
        // Each family's update task points at the same resource.
        let task = g
            .items()
            .find(|(_, i)| i.family == Some(row.family))
            .map(|(_, i)| i)
            .unwrap_or_else(|| panic!("task for {os}"));
        assert_eq!(task.links, vec![row.link.clone()]);
    }
}

#[test]
fn names_are_matched_forgivingly() {
    let cases: &[(&str, &str, &str)] = &[
        ("win10", "generic-2023", "Windows 10"),
        ("Windows10", "generic-2023", "Windows 10"),
        ("W11", "generic-2023", "Windows 11"),
        ("  windows   8.1 pro ", "generic-2023", "Windows 8.1"),
        ("Windows 7", "generic-2023", "Windows 7 SP1"),
        ("server 2016", "generic-2023", "Windows Server 2016"),
        ("ws2019", "generic-2023", "Windows Server 2019"),
        ("2012r2 server", "generic-2023", "Windows Server 2012 R2"),
        (
            "Windows Server 2012 R2 Datacenter",
            "generic-2023",
            "Windows Server 2012 R2",
        ),
        (
            "WindowsServer2008R2",
            "generic-2023",
            "Windows Server 2008 R2 SP1",
        ),
        (
            "Windows Server 1809",
            "generic-2023",
            "Windows Server 1803, or later",
        ),
        (
            "Windows Server 20H2",
            "symantec-2021",
            "Windows Server 1803 or later",
        ),
        ("macOS 10.14", "symantec-2021", "macOS 10.14 (Mojave)"),
        (
            "Mac OS X 10.13.6",
            "symantec-2021",
            "macOS 10.13 (High Sierra)",
        ),
        ("mojave", "symantec-2021", "macOS 10.14 (Mojave)"),
        ("macOS 14.2", "generic-2023", "macOS"),
        (
            "Ubuntu 20.04",
            "symantec-2021",
            "Ubuntu 16 LTS, or higher LTS",
        ),
        ("Ubuntu 20.04", "generic-2023", "Linux"),
        ("RHEL 8.4", "symantec-2021", "RHEL 7.2+"),
        ("Red Hat Enterprise Linux 9", "symantec-2021", "RHEL 7.2+"),
        ("CentOS 7.9", "symantec-2021", "CentOS Linux 7.2+"),
        ("SLES 15 SP4", "symantec-2021", "SLES 12+"),
        (
            "SUSE Linux Enterprise Server 12",
            "symantec-2021",
            "SLES 12+",
        ),
        ("Debian 11", "symantec-2021", "Debian 9+"),
        ("Oracle Linux 7.2", "symantec-2021", "Oracle Linux 7.2"),
    ];
    for (input, guide, name) in cases {
        let rows =
            lookup(catalog(), Some(guide), input, None).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert!(
            rows.iter().all(|r| r.os == *name),
            "{input} in {guide}: {rows:?}"
        );
    }
}

#[test]
fn export_columns_are_understood() {
    let g = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let name = |os: &str, v: Option<&str>, server: Option<bool>| {
        mde_migrate::lookup::match_systems(g, &parse_os_parts(os, v, server))
            .first()
            .map(|s| s.name.clone())
    };
    assert_eq!(
        name("Windows", Some("10.0.19045.3803"), None).as_deref(),
        Some("Windows 10")
    );
    assert_eq!(
        name("Windows", Some("10.0.22631.2861"), None).as_deref(),
        Some("Windows 11")
    );
    assert_eq!(
        name("Windows10", Some("10.0"), None).as_deref(),
        Some("Windows 10")
    );
    assert_eq!(
        name("WindowsServer2022", Some("10.0.20348"), None).as_deref(),
        Some("Windows Server 2022")
    );
    assert_eq!(
        name("Windows", Some("10.0.17763.5206"), Some(true)).as_deref(),
        Some("Windows Server 2019")
    );
    assert_eq!(
        name("Windows", Some("6.3.9600"), Some(true)).as_deref(),
        Some("Windows Server 2012 R2")
    );
    assert_eq!(
        name("iOS/iPadOS", Some("17.2"), None).as_deref(),
        Some("iOS")
    );
    assert_eq!(
        name("Android", Some("14"), None).as_deref(),
        Some("Android")
    );
}

#[test]
fn unknown_names_and_values_fail_with_close_matches() {
    match lookup(catalog(), Some("symantec-2021"), "Ubuntu 21.10", None) {
        Err(LookupError::UnknownOs { suggestions, .. }) => assert!(
            suggestions.contains(&"Ubuntu 16 LTS, or higher LTS".to_string()),
            "{suggestions:?}"
        ),
        other => panic!("{other:?}"),
    }
    match lookup(catalog(), None, "Windows", None) {
        Err(e @ LookupError::UnknownOs { .. }) => {
            assert!(e.to_string().contains("Windows 10"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    match lookup(catalog(), None, "Solaris 11", None) {
        Err(e @ LookupError::UnknownOs { .. }) => assert!(e.to_string().contains("\"Solaris 11\"")),
        other => panic!("{other:?}"),
    }
    match lookup(catalog(), None, "win10", Some("p3")) {
        Err(e @ LookupError::UnknownValue { .. }) => assert!(
            e.to_string().contains("P1") && e.to_string().contains("EDR"),
            "{e}"
        ),
        other => panic!("{other:?}"),
    }
    match lookup(catalog(), Some("generic-2023"), "win10", Some("edr")) {
        Err(e @ LookupError::ValueNotInGuide { .. }) => {
            assert!(e.to_string().contains("P1, P2"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    match lookup(catalog(), Some("generic-2023"), "Linux", Some("p2")) {
        Err(e @ LookupError::NoResource { .. }) => {
            assert!(e.to_string().contains("lists: P1"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        lookup(catalog(), Some("mcafee"), "win10", None),
        Err(LookupError::UnknownGuide { .. })
    ));
}

/// "Migrate from McAfee - Phase 1: Prepare" (2021-03-03), its table
/// "Capabilities | Operating System | Resources" row by row, copied by hand
/// from the page (docs.microsoft.com links read on learn.microsoft.com).
fn mcafee_rows() -> Table {
    let macs = vec![
        "macOS 10.15 (Catalina)",
        "macOS 10.14 (Mojave)",
        "macOS 10.13 (High Sierra)",
    ];
    vec![
        ("EDR", vec!["Windows 10", "Windows Server 2019", "Windows Server 1803 or later"], "Configure machine proxy and internet connectivity settings", format!("{DE}configure-proxy-internet")),
        ("EDR", vec!["Windows Server 2016", "Windows Server 2012 R2", "Windows Server 2008 R2 SP1", "Windows 8.1", "Windows 7 SP1"], "Configure proxy and internet connectivity settings", format!("{DE}onboard-downlevel#configure-proxy-and-internet-connectivity-settings")),
        ("EDR", macs.clone(), "Microsoft Defender for Endpoint on Mac: Network connections", format!("{DE}microsoft-defender-atp-mac#network-connections")),
        ("Antivirus", vec!["Windows 10", "Windows Server 2019", "Windows Server 1803 or later", "Windows Server 2016"], "Configure and validate Microsoft Defender Antivirus network connections", "https://learn.microsoft.com/windows/security/threat-protection/microsoft-defender-antivirus/configure-network-connections-microsoft-defender-antivirus".to_string()),
        ("Antivirus", macs, "Microsoft Defender for Endpoint on Mac: Network connections", format!("{DE}microsoft-defender-atp-mac#network-connections")),
        ("Antivirus", vec!["RHEL 7.2+", "CentOS Linux 7.2+", "Ubuntu 16 LTS, or higher LTS", "SLES 12+", "Debian 9+", "Oracle Linux 7.2"], "Microsoft Defender for Endpoint on Linux: Network connections", format!("{DE}microsoft-defender-atp-linux#network-connections")),
    ]
}

#[test]
fn mcafee_proxy_table_row_for_row() {
    check_guide("mcafee-2021", &mcafee_rows());
    // The page's six rows, no more, each with its capability.
    let g = catalog()
        .guide("mcafee-2021")
        .unwrap_or_else(|| panic!("guide"));
    let values: Vec<&str> = g
        .proxy_table
        .rows
        .iter()
        .map(|r| r.value.as_str())
        .collect();
    assert_eq!(
        values,
        ["EDR", "EDR", "EDR", "Antivirus", "Antivirus", "Antivirus"]
    );
    // The operating-system links of the first two columns, as the page has them.
    let cell = |row: usize, system: &str| {
        g.proxy_table.rows[row]
            .systems
            .iter()
            .find(|c| g.system(&c.system).is_some_and(|s| s.name == system))
            .and_then(|c| c.link.as_deref())
            .and_then(|l| g.link(l))
            .map(|l| l.url.clone())
    };
    let rh = "https://learn.microsoft.com/windows/release-health/";
    assert_eq!(
        cell(0, "Windows 10"),
        Some(format!("{rh}release-information"))
    );
    assert_eq!(
        cell(1, "Windows Server 2016"),
        Some(format!(
            "{rh}status-windows-10-1607-and-windows-server-2016"
        ))
    );
    assert_eq!(
        cell(3, "Windows Server 2016"),
        Some("https://learn.microsoft.com/windows-server/get-started/whats-new-in-windows-server-2016".to_string())
    );
    assert_eq!(cell(2, "macOS 10.15 (Catalina)"), None);
}

#[test]
fn mcafee_update_table_and_resources_as_the_page_has_them() {
    let g = catalog()
        .guide("mcafee-2021")
        .unwrap_or_else(|| panic!("guide"));
    let expected = [
        (
            "Windows",
            "Microsoft Update",
            "https://www.update.microsoft.com",
        ),
        (
            "macOS",
            "How to update the software on your Mac",
            "https://support.apple.com/HT201541",
        ),
        (
            "iOS",
            "Update your iPhone, iPad, or iPod touch",
            "https://support.apple.com/HT204204",
        ),
        (
            "Android",
            "Check & update your Android version",
            "https://support.google.com/android/answer/7680439",
        ),
        (
            "Linux",
            "Linux 101: Updating Your System",
            "https://www.linux.com/training-tutorials/linux-101-updating-your-system",
        ),
    ];
    assert_eq!(g.update_table.len(), expected.len());
    for (row, (os, title, url)) in g.update_table.iter().zip(expected) {
        assert_eq!(row.os, os);
        let link = g.link(&row.link).unwrap_or_else(|| panic!("link"));
        assert_eq!((link.title.as_str(), link.url.as_str()), (title, url));
        let task = g
            .items()
            .find(|(_, i)| i.family == Some(row.family))
            .map(|(_, i)| i)
            .unwrap_or_else(|| panic!("task for {os}"));
        assert_eq!(task.links, vec![row.link.clone()]);
    }
    // "Make sure your McAfee solution is up to date": its four resources.
    let (_, task) = g
        .items()
        .find(|(_, i)| i.links.len() == 4)
        .unwrap_or_else(|| panic!("the McAfee task"));
    let got: Vec<(&str, &str)> = task
        .links
        .iter()
        .filter_map(|l| g.link(l))
        .map(|l| (l.title.as_str(), l.url.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "McAfee Enterprise Product Documentation: How Endpoint Security Works",
                "https://docs.mcafee.com/bundle/endpoint-security-10.7.x-common-product-guide-windows/page/GUID-1207FF39-D1D2-481F-BBD9-E4079112A8DD.html"
            ),
            (
                "McAfee Knowledge Center Technical Article: Windows Security Center intermittently incorrectly reports that Endpoint Security is disabled when running on Windows 10",
                "https://kc.mcafee.com/corporate/index?page=content&id=KB91830"
            ),
            (
                "McAfee Knowledge Center Technical Article: Windows Security Center reports Endpoint Security is disabled when Endpoint Security is running",
                "https://kc.mcafee.com/corporate/index?page=content&id=KB91428"
            ),
            // The page gives it over plain http; a dated note says so.
            (
                "Your McAfee support ServicePortal",
                "https://mysupport.mcafee.com"
            ),
        ]
    );
    // Four steps, in the page's order, with the page's titles.
    let titles: Vec<&str> = g
        .phase_steps(&g.phases[0].id)
        .map(|(_, s)| s.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Get and deploy updates across your organization's devices",
            "Get Microsoft Defender for Endpoint",
            "Grant access to the Microsoft Defender Security Center",
            "Configure device proxy and internet connectivity settings",
        ]
    );
    assert_eq!(g.portal.name, "Microsoft Defender Security Center");
    assert_eq!(
        catalog().propose_guide("McAfee ENS"),
        "mcafee-2021",
        "McAfee proposes its guide"
    );
    for product in [
        "McAfee Endpoint Security 10.7",
        "VirusScan Enterprise 8.8",
        "ePO-managed ENS",
        "Trellix Endpoint Security",
    ] {
        assert_eq!(catalog().propose_guide(product), "mcafee-2021", "{product}");
    }
    assert_eq!(catalog().propose_guide("Sophos"), "generic-2023");
}

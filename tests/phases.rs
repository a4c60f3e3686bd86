//! Phases 2 and 3 of every guide against their pages. The step lists,
//! table headers, first cells and commands below were copied by hand from
//! the six Set up and Onboard pages (Microsoft Learn, versions of 2021 and
//! 2023, see the guides' `source_url`s); the catalog must say the same.
//! Then what the estate and the answers decide about those phases.

mod common;

use common::*;
use mde_migrate::catalog::{Guide, ScreenKind};

fn guide(id: &str) -> &'static Guide {
    catalog()
        .guide(id)
        .unwrap_or_else(|| panic!("no guide {id}"))
}

/// The titles of a phase's steps, in order.
fn titles<'a>(g: &'a Guide, phase: &'a str) -> Vec<&'a str> {
    g.phase_steps(phase)
        .map(|(_, s)| s.title.as_str())
        .collect()
}

/// Every table of a phase: (header, first cell of every row).
fn tables(g: &Guide, phase: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let mut out: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for (_, s) in g.phase_steps(phase) {
        for i in &s.items {
            for t in &i.tables {
                let firsts: Vec<String> = t
                    .rows
                    .iter()
                    .map(|r| r.cells.first().cloned().unwrap_or_default())
                    .collect();
                // The per-family items of one step share their page's table.
                if !out.iter().any(|(h, f)| *h == t.header && *f == firsts) {
                    out.push((t.header.clone(), firsts));
                }
            }
        }
    }
    out
}

/// Every command of a phase, verbatim.
fn commands(g: &Guide, phase: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, s) in g.phase_steps(phase) {
        for i in &s.items {
            for c in &i.commands {
                if !out.contains(&c.text) {
                    out.push(c.text.clone());
                }
            }
        }
    }
    out
}

fn has_all(got: &[String], want: &[&str], what: &str) {
    for w in want {
        assert!(
            got.iter().any(|g| g == w),
            "{what}: {w:?} missing from {got:#?}"
        );
    }
}

fn header(h: &[&str]) -> Vec<String> {
    h.iter().map(|s| (*s).to_string()).collect()
}

#[test]
fn each_phase_records_its_page_and_date() {
    let pages = [
        (
            "generic-2023",
            "setup",
            "switch-to-mde-phase-2",
            "2023-02-16",
        ),
        (
            "generic-2023",
            "onboard",
            "switch-to-mde-phase-3",
            "2023-06-19",
        ),
        (
            "symantec-2021",
            "setup",
            "symantec-to-microsoft-defender-atp-setup",
            "2021-05-14",
        ),
        (
            "symantec-2021",
            "onboard",
            "symantec-to-microsoft-defender-atp-onboard",
            "2021-03-03",
        ),
        (
            "mcafee-2021",
            "setup",
            "mcafee-to-microsoft-defender-setup",
            "2021-03-03",
        ),
        (
            "mcafee-2021",
            "onboard",
            "mcafee-to-microsoft-defender-onboard",
            "2021-03-03",
        ),
    ];
    for (g, phase, page, date) in pages {
        let g = guide(g);
        let p = g.phase(phase).unwrap_or_else(|| panic!("{phase}"));
        let (url, published) = g.phase_source(p);
        assert_eq!(
            url,
            format!("https://learn.microsoft.com/microsoft-365/security/defender-endpoint/{page}")
        );
        assert_eq!(published, date);
        assert!(catalog().knows_url(url), "{url} may be opened");
        // Every step of a later phase is a checklist; Phase 1 keeps its screens.
        for (_, s) in g.phase_steps(phase) {
            assert_eq!(s.screen, ScreenKind::Checklist, "{}", s.id);
            assert!(!s.items.is_empty(), "{}", s.id);
        }
    }
    for g in &catalog().guides {
        assert_eq!(g.phases.len(), 3);
        for (_, s) in g.phase_steps(&g.phases[0].id) {
            assert_ne!(s.screen, ScreenKind::Checklist, "{}", s.id);
        }
    }
}

#[test]
fn generic_setup_as_the_page_has_it() {
    let g = guide("generic-2023");
    assert_eq!(
        titles(g, "setup"),
        [
            "Reinstall/enable Microsoft Defender Antivirus on your endpoints",
            "Configure Defender for Endpoint Plan 1 or Plan 2",
            "Add Microsoft Defender for Endpoint to the exclusion list for your existing solution",
            "Add your existing solution to the exclusion list for Microsoft Defender Antivirus",
            "Set up your device groups, device collections, and organizational units",
        ]
    );
    let t = tables(g, "setup");
    let want: Vec<(Vec<String>, Vec<&str>)> = vec![
        (
            header(&["Endpoint type", "What to do"]),
            vec![
                "Windows clients (such as endpoints running Windows 10 and Windows 11)",
                "Windows servers",
            ],
        ),
        (
            // Pictures are named by their alternative text.
            header(&["Screen", "What it means"]),
            vec![
                "[picture: Screenshot showing message that says hang on because MDE is not provisioned yet.]",
                "[picture: Screenshot showing device inventory page with no device onboarded yet.]",
            ],
        ),
        (
            header(&["Standard protection rules", "Configuration methods"]),
            vec![
                "Block credential stealing from the Windows local security authority subsystem (lsass.exe) / Block abuse of exploited vulnerable signed drivers / Block persistence through Windows Management Instrumentation (WMI) event subscription",
            ],
        ),
        (
            header(&["Capability", "Configuration methods"]),
            vec![
                "Intune",
                "Configuration Manager",
                "Advanced Group Policy Management / or / Group Policy Management Console",
                "Control Panel in Windows",
            ],
        ),
        (
            header(&["OS", "Exclusions"]),
            vec![
                "Windows 11 / Windows 10, version 1803 or later (See Windows 10 release information) / Windows 10, version 1703 or 1709 with KB4493441 installed",
                "Windows Server 2022 / Windows Server 2019 / Windows Server 2016 / Windows Server 2012 R2 / Windows Server, version 1803",
                "Windows 8.1 / Windows 7 / Windows Server 2008 R2 SP1",
            ],
        ),
        (
            header(&["Method", "What to do"]),
            vec![
                "Intune",
                "Microsoft Endpoint Configuration Manager",
                "Group Policy Object",
                "Local group policy object",
                "Registry key",
            ],
        ),
        (
            header(&["Collection type", "What to do"]),
            vec![
                "Device groups (formerly called machine groups) enable your security operations team to configure security capabilities, such as automated investigation and remediation. / Device groups are also useful for assigning access to those devices so that your security operations team can take remediation actions if needed. / Device groups are created while the attack is detected and stopped, alerts, such as an \"initial access alert,\" are triggered and appear in the Microsoft 365 Defender portal.",
                "Device collections enable your security operations team to manage applications, deploy compliance settings, or install software updates on the devices in your organization. / Device collections are created by using Configuration Manager.",
                "Organizational units enable you to logically group objects such as user accounts, service accounts, or computer accounts. / You can then assign administrators to specific organizational units, and apply group policy to enforce targeted configuration settings. / Organizational units are defined in Azure Active Directory Domain Services.",
            ],
        ),
    ];
    assert_eq!(t.len(), want.len(), "{t:#?}");
    for ((h, firsts), (wh, wfirsts)) in t.iter().zip(&want) {
        assert_eq!(h, wh);
        for (got, w) in firsts.iter().zip(wfirsts) {
            assert!(got.starts_with(&w[..w.len().min(60)]), "{got:?} vs {w:?}");
        }
        assert_eq!(firsts.len(), wfirsts.len(), "{h:?}");
    }
    has_all(
        &commands(g, "setup"),
        &[
            r"Computer\HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Advanced Threat Protection",
            r"C:\Windows\System32\winevt\Logs",
            r"C:\Program Files\Windows Defender Advanced Threat Protection\MsSense.exe",
            r"C:\Program Files\Windows Defender Advanced Threat Protection\SenseCncProxy.exe",
            r"C:\Program Files\Windows Defender Advanced Threat Protection\SenseSampleUploader.exe",
            r"C:\Program Files\Windows Defender Advanced Threat Protection\SenseIR.exe",
            r"C:\Program Files\Windows Defender Advanced Threat Protection\SenseCM.exe",
            r"C:\ProgramData\Microsoft\Windows Defender Advanced Threat Protection\DataCollection",
            r"C:\ProgramData\Microsoft\Windows Defender Advanced Threat Protection\Platform\*\MsSense.exe",
            r"C:\ProgramData\Microsoft\Windows Defender Advanced Threat Protection\Platform\*\SenseCnCProxy.exe",
            r"C:\ProgramData\Microsoft\Windows Defender Advanced Threat Protection\Platform\*\SenseIR.exe",
            r"C:\ProgramData\Microsoft\Windows Defender Advanced Threat Protection\Platform\*\SenseCE.exe",
            r"C:\ProgramData\Microsoft\Windows Defender Advanced Threat Protection\Platform\*\SenseSampleUploader.exe",
            r"C:\ProgramData\Microsoft\Windows Defender Advanced Threat Protection\Platform\*\SenseCM.exe",
            r"C:\Program Files\Microsoft Monitoring Agent\Agent\Health Service State\Monitoring Host Temporary Files 6\45\MsSenseS.exe",
            r"C:\Program Files\Microsoft Monitoring Agent\Agent\AgentControlPanel.exe",
            r"C:\Program Files\Microsoft Monitoring Agent\Agent\HealthService.exe",
            r"C:\Program Files\Microsoft Monitoring Agent\Agent\HSLockdown.exe",
            r"C:\Program Files\Microsoft Monitoring Agent\Agent\MOMPerfSnapshotHelper.exe",
            r"C:\Program Files\Microsoft Monitoring Agent\Agent\MonitoringHost.exe",
            r"C:\Program Files\Microsoft Monitoring Agent\Agent\TestCloudConnection.exe",
            r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Defender\exclusions",
            r"regedit.exe /s c:\temp\MDAV_Exclusion.reg",
            r"regedit.exe /s \\FileServer\ShareName\MDAV_Exclusion.reg",
        ],
        "generic setup commands",
    );
}

#[test]
fn generic_onboard_as_the_page_has_it() {
    let g = guide("generic-2023");
    assert_eq!(
        titles(g, "onboard"),
        [
            "Onboard devices to Microsoft Defender for Endpoint",
            "Run a detection test",
            "Confirm that Microsoft Defender Antivirus is in passive mode on your endpoints",
            "Get updates for Microsoft Defender Antivirus",
            "Uninstall your non-Microsoft solution",
            "Make sure Defender for Endpoint is working correctly",
        ]
    );
    let t = tables(g, "onboard");
    assert_eq!(t.len(), 2, "{t:#?}");
    assert_eq!(t[0].0, header(&["Operating systems", "Methods"]));
    assert_eq!(
        t[0].1,
        [
            "Windows 10 or later / Windows Server 2019 or later / Windows Server, version 1803 or later / Windows Server 2016 or Windows Server 2012 R2[1]",
            "Windows Server 2008 R2 SP1",
            "Windows 8.1 Enterprise / Windows 8.1 Pro / Windows 7 SP1 Pro / Windows 7 SP1",
            "Windows servers / Linux servers",
            "macOS",
            "Linux Server",
            "Android",
            "iOS",
        ]
    );
    assert_eq!(t[1].0, header(&["Operating system", "Guidance"]));
    assert_eq!(t[1].1.len(), 3);
    assert!(t[1].1[1].starts_with("macOS"));
    assert!(t[1].1[2].starts_with("Linux"));
    has_all(
        &commands(g, "onboard"),
        &[
            "mdatp health --field real_time_protection_enabled",
            "curl -o ~/Downloads/eicar.com.txt https://www.eicar.org/download/eicar.com.txt",
            "mdatp threat list",
            "Get-MpComputerStatus|select AMRunningMode",
            r"Computer\HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Advanced Threat Protection",
            "mpcmdrun.exe -wdenable",
        ],
        "generic onboard commands",
    );
}

#[test]
fn symantec_setup_and_onboard_as_the_pages_have_them() {
    let g = guide("symantec-2021");
    // The page's list is empty; its six sections are the steps.
    assert_eq!(
        titles(g, "setup"),
        [
            "Reinstall/enable Microsoft Defender Antivirus on your endpoints",
            "Configure Defender for Endpoint",
            "Add Microsoft Defender for Endpoint to the exclusion list for Symantec",
            "Add Symantec to the exclusion list for Microsoft Defender Antivirus",
            "Set up your device groups, device collections, and organizational units",
            "Configure antimalware policies and real-time protection",
        ]
    );
    let heads: Vec<Vec<String>> = tables(g, "setup").into_iter().map(|t| t.0).collect();
    assert_eq!(
        heads,
        [
            header(&["Method", "What to do"]),
            header(&["OS", "Exclusions"]),
            header(&["Method", "What to do"]),
            header(&["Collection type", "What to do"]),
        ]
    );
    has_all(
        &commands(g, "setup"),
        &[
            r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Defender",
            "Dism /online /Get-FeatureInfo /FeatureName:Windows-Defender-Features",
            "Dism /online /Get-FeatureInfo /FeatureName:Windows-Defender",
            r"c:\windows\sysnative\cmd.exe /c Dism /online /Get-FeatureInfo /FeatureName:Windows-Defender-Features",
            r"c:\windows\sysnative\cmd.exe /c Dism /online /Get-FeatureInfo /FeatureName:Windows-Defender",
            "Get-Service -Name windefend",
            r"Computer\HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Advanced Threat Protection",
            "mpcmdrun -wdenable",
            r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Defender\exclusions",
            // The page's own spacing, kept.
            r"regedit.exe /s c:\temp\ MDAV_Exclusion.reg",
            r"regedit.exe /s \\FileServer\ShareName\MDAV_Exclusion.reg",
        ],
        "symantec setup commands",
    );
    assert_eq!(
        titles(g, "onboard"),
        [
            "Onboard devices to Microsoft Defender for Endpoint",
            "Run a detection test",
            "Uninstall Symantec",
            "Make sure Microsoft Defender for Endpoint is in active mode",
        ]
    );
    let t = tables(g, "onboard");
    assert_eq!(t[0].0, header(&["Operating system", "Method"]));
    assert_eq!(t[0].1.len(), 5);
    assert_eq!(t[0].1[0], "Windows 10");
    assert_eq!(t[1].0, header(&["Operating system", "Guidance"]));
    assert_eq!(t[1].1.len(), 3);
    has_all(
        &commands(g, "onboard"),
        &[
            r"HKEY_LOCAL_MACHINE\SOFTWARE\Symantec\Symantec Endpoint Protection\SMC",
            "mdatp health --field real_time_protection_enabled",
            "mdatp threat list",
            "mpcmdrun.exe -wdenable",
        ],
        "symantec onboard commands",
    );
    // The malformed link resolves to the page of the same folder.
    assert!(g.links.iter().any(|l| l.url
        == "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/configure-endpoints-sccm"));
    // Broadcom's uninstall pages, one per family.
    for id in [
        "https://knowledge.broadcom.com/external/article?articleId=170040",
        "https://knowledge.broadcom.com/external/article?articleId=151387",
        "https://knowledge.broadcom.com/external/article?articleId=162054",
    ] {
        assert!(g.links.iter().any(|l| l.url == id), "{id}");
    }
}

#[test]
fn mcafee_setup_and_onboard_as_the_pages_have_them() {
    let g = guide("mcafee-2021");
    assert_eq!(
        titles(g, "setup"),
        [
            "Enable Microsoft Defender Antivirus and confirm it's in passive mode",
            "Get updates for Microsoft Defender Antivirus",
            "Add Microsoft Defender for Endpoint to the exclusion list for McAfee",
            "Add McAfee to the exclusion list for Microsoft Defender Antivirus",
            "Add McAfee to the exclusion list for Microsoft Defender for Endpoint",
            "Set up your device groups, device collections, and organizational units",
            "Configure antimalware policies and real-time protection",
        ]
    );
    let heads: Vec<Vec<String>> = tables(g, "setup").into_iter().map(|t| t.0).collect();
    assert_eq!(
        heads,
        [
            header(&["Method", "What to do"]),
            header(&["Method", "What to do"]),
            header(&["OS", "Exclusions"]),
            header(&["Method", "What to do"]),
            header(&["Collection type", "What to do"]),
        ]
    );
    has_all(
        &commands(g, "setup"),
        &[
            r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Defender",
            "Dism /online /Get-FeatureInfo /FeatureName:Windows-Defender-Features",
            "Get-Service -Name windefend",
            "mpcmdrun -wdenable",
            r"Computer\HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Advanced Threat Protection",
            "sc query windefend",
            r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Defender\exclusions",
            "SCCM_ServerName.DomainName.com",
            "File(c:\\\\windows\\\\notepad.exe)\n| project Hash",
        ],
        "mcafee setup commands",
    );
    assert_eq!(
        titles(g, "onboard"),
        [
            "Onboard devices to Microsoft Defender for Endpoint",
            "Run a detection test",
            "Uninstall McAfee",
            "Make sure Microsoft Defender for Endpoint is in active mode",
        ]
    );
    // The ServicePortal, given over plain http, is kept as https.
    let (_, uninstall) = g
        .phase_steps("onboard")
        .find(|(_, s)| s.title == "Uninstall McAfee")
        .unwrap_or_else(|| panic!("uninstall step"));
    let links: Vec<&str> = uninstall.items[0]
        .links
        .iter()
        .filter_map(|l| g.link(l))
        .map(|l| l.url.as_str())
        .collect();
    assert_eq!(links, ["https://mysupport.mcafee.com"]);
}

/// Items by id for a plan with this estate.
fn relevant(g: &Guide, p: &mde_migrate::plan::Plan) -> Vec<String> {
    let flags = p.flags(g);
    g.steps
        .iter()
        .flat_map(|s| p.relevant_items(s, &flags))
        .map(|i| i.id.clone())
        .collect()
}

#[test]
fn the_estate_and_the_licence_decide_what_phases_two_and_three_ask() {
    let g = guide("generic-2023");
    // Nothing known yet: every item is asked.
    let empty = plan("generic-2023");
    let all = relevant(g, &empty);
    for id in [
        "g2-passive-server",
        "g2-edr",
        "g3-onboard-macos",
        "g3-start-2016",
    ] {
        assert!(all.contains(&id.to_string()), "{id}");
    }
    // Windows 10 clients only, Plan 1: no server steps, no Plan 2 steps,
    // no other family's onboarding.
    let mut p = plan("generic-2023");
    p.set_system_count(g, "win10", Some(40), NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    p.set_choice("licence-route", Some("m365-e3"), NOW);
    let some = relevant(g, &p);
    for id in ["g2-av-clients", "g3-onboard-windows", "g2-provisioned"] {
        assert!(some.contains(&id.to_string()), "{id}");
    }
    for id in [
        "g2-passive-server",
        "g2-av-servers",
        "g2-ws2012-2016",
        "g2-edr",
        "g2-air",
        "g3-onboard-macos",
        "g3-start-2016",
    ] {
        assert!(
            !some.contains(&id.to_string()),
            "{id} asked of a Windows 10, Plan 1 estate"
        );
    }
    // Add Windows Server 2016 and take Plan 2: the server steps and the
    // Plan 2 steps come back.
    p.set_system_count(g, "ws2016", Some(3), NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    p.set_choice("licence-route", Some("m365-e5"), NOW);
    let more = relevant(g, &p);
    for id in [
        "g2-passive-server",
        "g2-ws2012-2016",
        "g2-edr",
        "g2-air",
        "g3-start-2016",
        "g3-passive-manual",
    ] {
        assert!(more.contains(&id.to_string()), "{id}");
    }
    // The onboarding methods for this estate: the Windows rows only.
    let (_, onboard) = g
        .item("g3-onboard-windows")
        .unwrap_or_else(|| panic!("item"));
    let rows: Vec<&str> = p
        .rows_for(g, onboard)
        .into_iter()
        .filter_map(|(_, r)| r.cells.first().map(String::as_str))
        .collect();
    // Windows Server 2008 R2 SP1 is down-level: not this estate's row.
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].starts_with("Windows 10 or later"));
    assert_eq!(rows[1], "Windows servers / Linux servers");
    // Down-level devices get the MMA row.
    p.set_system_count(g, "win7sp1", Some(2), NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<String> = p
        .rows_for(g, onboard)
        .into_iter()
        .filter_map(|(_, r)| r.cells.first().cloned())
        .collect();
    assert!(
        rows.iter().any(|r| r.starts_with("Windows 8.1 Enterprise")),
        "{rows:?}"
    );
}

#[test]
fn the_uninstall_steps_follow_the_product_and_the_estate() {
    let g = guide("symantec-2021");
    let mut p = plan("symantec-2021");
    p.set_system_count(g, "win10", Some(5), NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let asked = relevant(g, &p);
    assert!(asked.contains(&"s3-removed-windows".to_string()));
    assert!(!asked.contains(&"s3-removed-macos".to_string()));
    assert!(!asked.contains(&"s3-removed-linux".to_string()));
    // The generic guide says to uninstall the product being replaced, and
    // says it depends on that answer.
    let (_, item) = guide("generic-2023")
        .item("g3-uninstall-existing")
        .unwrap_or_else(|| panic!("item"));
    assert!(
        item.depends
            .as_deref()
            .is_some_and(|d| d.contains("product being replaced"))
    );
}

#[test]
fn a_plan_saved_before_the_new_phases_opens_with_them_unanswered() {
    // A plan written by the previous build: Phase 1 answers and a position
    // on the licence step, no Phase 2 or 3 answers.
    let json = r#"{
      "schema_version": 1, "name": "Old plan", "guide": "generic-2023",
      "created": "2026-11-01T10:00:00Z", "updated": "2026-11-01T10:00:00Z",
      "answers": { "licence-route": { "choice": "m365-e5", "updated": "2026-11-01T10:00:00Z" } },
      "position": { "screen": "step", "step": "licence", "item": "licence-route" }
    }"#;
    let p: mde_migrate::plan::Plan = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
    let g = guide("generic-2023");
    assert_eq!(p.answers.len(), 1);
    assert_eq!(p.position.step.as_deref(), Some("licence"));
    let phases = p.phase_progress(g);
    assert_eq!(phases.len(), 3);
    assert_eq!(phases[1].progress.done, 0);
    assert!(phases[1].progress.total > 0);
    // Resuming lands where it was.
    let w = wizard_with(p);
    assert_eq!(
        w.screen,
        mde_migrate::wizard::Screen::Step(g.step_index("licence").unwrap_or(usize::MAX))
    );
}

#[test]
fn y_offers_an_items_commands_to_copy_and_nothing_opens_or_runs_them() {
    use mde_migrate::wizard::{Action, Effect, Modal, Screen};
    let g = guide("generic-2023");
    let index = g
        .step_index("g2-enable-av")
        .unwrap_or_else(|| panic!("step"));
    let mut w = wizard_with(plan("generic-2023"));
    // The overview's rows: walk to the Phase 2 step and open it.
    for _ in 0..index {
        press(&mut w, &[Action::Down]);
    }
    press(&mut w, &[Action::Select]);
    assert_eq!(w.screen, Screen::Step(index));
    // The passive-mode item: its registry path is the first entry of `y`.
    press(&mut w, &[Action::Down, Action::Down]);
    press(&mut w, &[Action::Copy]);
    let Some(Modal::Links { links, .. }) = &w.modal else {
        panic!("y opened no list: {:?}", w.modal);
    };
    let path = r"Computer\HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Advanced Threat Protection";
    assert_eq!(links[0].url, path);
    assert!(links[0].title.starts_with("Command: "));
    // Enter on it copies it; nothing is opened.
    let effects = press(&mut w, &[Action::Select]);
    assert!(
        effects.iter().all(|e| !matches!(e, Effect::OpenUrl(_))),
        "{effects:?}"
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Copy(c) if c == path)),
        "{effects:?}"
    );
    // `o` lists pages only.
    press(&mut w, &[Action::Back, Action::Open]);
    if let Some(Modal::Links { links, .. }) = &w.modal {
        assert!(links.iter().all(|l| l.url.starts_with("https://")));
    }
}

use super::*;

/// Roles 0..4 over skills 0..6.
fn sample() -> Profiles {
    Profiles::new(
        5,
        6,
        [
            // 0: team leader
            (0, 0, true),
            (0, 1, true),
            (0, 2, false),
            // 1: operations manager: 0's skills and more
            (1, 0, true),
            (1, 1, true),
            (1, 2, true),
            (1, 3, true),
            // 2: one optional skill of 0's
            (2, 2, false),
            // 3: nothing shared
            (3, 4, true),
            (3, 5, false),
            // 4: the same as 0
            (4, 0, true),
            (4, 1, true),
            (4, 2, false),
        ],
    )
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn components_follow_their_definitions() {
    let p = sample();
    let all = p.compare_all(0);
    let to = |other: u32| all.iter().find(|s| s.other == other).copied();
    // The same profile: everything 1.
    let same = to(4).expect("role 4");
    assert!(close(same.cosine, 1.0) && close(same.jaccard, 1.0) && close(same.coverage, 1.0));
    assert!(close(same.score, 1.0));
    assert_eq!(same.shared, 3);
    // Role 1: dot = 1 + 1 + 0.5 = 2.5; |0| = sqrt(2.25) = 1.5, |1| = 2; cosine 2.5 / 3.
    let manager = to(1).expect("role 1");
    assert!(close(manager.cosine, 2.5 / 3.0), "{manager:?}");
    assert!(close(manager.jaccard, 3.0 / 4.0));
    // Role 1 has 4 essential skills; role 0 has 3 of them.
    assert!(close(manager.coverage, 3.0 / 4.0));
    assert!(close(
        manager.score,
        0.5 * 2.5 / 3.0 + 0.2 * 0.75 + 0.3 * 0.75
    ));
    // Role 2 lists no essential skill: no coverage.
    let optional = to(2).expect("role 2");
    assert!(close(optional.coverage, 0.0));
    assert!(close(optional.cosine, 0.25 / 1.5 / 0.5), "{optional:?}");
    // Role 3 shares nothing: not listed. Nor is role 0 itself.
    assert!(to(3).is_none() && to(0).is_none());
}

#[test]
fn coverage_is_asymmetric() {
    let p = sample();
    let up = p
        .compare_all(0)
        .into_iter()
        .find(|s| s.other == 1)
        .expect("0 -> 1");
    let down = p
        .compare_all(1)
        .into_iter()
        .find(|s| s.other == 0)
        .expect("1 -> 0");
    assert!(close(up.coverage, 0.75));
    assert!(close(down.coverage, 1.0));
    assert!(close(up.cosine, down.cosine) && close(up.jaccard, down.jaccard));
}

#[test]
fn neighbours_are_best_first_with_ties_by_number() {
    let p = sample();
    let near = p.neighbours(0, 2);
    assert_eq!(near.iter().map(|s| s.other).collect::<Vec<_>>(), [4, 1]);
    let twins = Profiles::new(3, 1, [(0, 0, true), (1, 0, true), (2, 0, true)]);
    assert_eq!(
        twins
            .neighbours(0, 5)
            .iter()
            .map(|s| s.other)
            .collect::<Vec<_>>(),
        [1, 2]
    );
}

#[test]
fn all_pairs_agree_with_one_role_at_a_time() {
    let p = sample();
    let all = p.all_neighbours(3);
    assert_eq!(all.len(), 5);
    for (origin, near) in all.iter().enumerate() {
        assert_eq!(near, &p.neighbours(origin as u32, 3), "role {origin}");
    }
    let pairs = std::sync::atomic::AtomicUsize::new(0);
    p.all_neighbours_with(0, |_, _| {
        pairs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    // Pairs sharing a skill, each origin with itself included: 0,1,2,4 all touch each other
    // (16) and 3 only itself (1).
    assert_eq!(pairs.into_inner(), 17);
}

#[test]
fn repeats_and_out_of_range_numbers_are_harmless() {
    let p = Profiles::new(
        2,
        2,
        [
            (0, 0, false),
            (0, 0, true),
            (1, 0, true),
            (7, 0, true),
            (0, 9, true),
        ],
    );
    let s = p.neighbours(0, 5);
    assert_eq!(s.len(), 1);
    assert!(close(s[0].cosine, 1.0), "{s:?}");
    assert_eq!(p.skills_of(0).collect::<Vec<_>>(), [(0, true)]);
    assert!(p.neighbours(9, 5).is_empty());
    let empty = Profiles::new(0, 0, []);
    assert!(empty.all_neighbours(10).is_empty());
}

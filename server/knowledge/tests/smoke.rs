//! Temporary smoke test.
#[test]
fn loads() {
    let kb = bsl_knowledge::KnowledgeBase::embedded();
    assert!(kb.method("стрнайти").is_some());
    println!("{}", kb.method("StrFind").unwrap().signature());
}

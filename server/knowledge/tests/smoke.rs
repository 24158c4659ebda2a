//! Temporary smoke test.
#[test]
fn loads() {
    let kb = bsl_knowledge::KnowledgeBase::embedded();
    println!("methods {}", kb.methods().len());
}

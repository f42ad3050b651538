"""The LangChain retriever with the real langchain-core: Documents with citation metadata, inside a runnable chain."""

from __future__ import annotations

import pytest

pytest.importorskip("langchain_core")

from langchain_core.documents import Document  # noqa: E402
from langchain_core.runnables import RunnableLambda, RunnablePassthrough  # noqa: E402

from qa.langchain import ReportRetriever  # noqa: E402


@pytest.fixture(scope="module")
def retriever(assistant) -> ReportRetriever:
    return ReportRetriever(assistant=assistant, k=3)


def test_documents_carry_the_citation(retriever):
    docs = retriever.invoke("南平工会组建率是多少")
    assert len(docs) == 3 and all(isinstance(d, Document) for d in docs)
    top = docs[0].metadata
    assert top["answer"] == "95%以上"
    assert docs[0].page_content[top["span"][0] : top["span"][1]] == "95%以上"
    assert top["place"] == top["city"] == "南平" and top["year"] == 2013
    assert top["source"].endswith(".txt") and top["title"] and isinstance(top["paragraph"], int)
    assert [d.metadata["rank"] for d in docs] == [1, 2, 3]


def test_in_a_chain_with_a_city_filter_and_a_batch(retriever, assistant):
    def cite(docs: list[Document]) -> str:
        return "\n".join(
            f"[{d.metadata['source']} ¶{d.metadata['paragraph']}] {d.page_content}" for d in docs
        )

    chain = {"context": retriever | RunnableLambda(cite), "question": RunnablePassthrough()} | RunnableLambda(
        lambda x: f"问题：{x['question']}\n资料：\n{x['context']}"
    )
    prompt = chain.invoke("南平工会组建率是多少")
    assert prompt.startswith("问题：南平工会组建率是多少") and "95%以上" in prompt

    longyan = ReportRetriever(assistant=assistant, k=2, city="龙岩")
    batches = longyan.batch(["职工医疗互助", "工会会员有多少"])
    assert len(batches) == 2 and all(d.metadata["city"] == "龙岩" for docs in batches for d in docs)


def test_bad_input_raises_the_assistants_error(retriever):
    with pytest.raises(ValueError, match="question is empty"):
        retriever.invoke("   ")


def test_a_table_and_a_list_are_in_the_metadata(retriever):
    docs = retriever.invoke("各地工会组建率对比")
    table = docs[0].metadata["table"]
    assert table["measure"] == "工会组建率" and {r["place"] for r in table["rows"]} == {
        "南平",
        "衢州",
        "漳州",
        "龙岩",
    }
    assert docs[0].metadata["rows"] and docs[0].metadata["rows"][0]["passage_id"] == docs[0].id
    listed = retriever.invoke("衢州工会有哪些创新品牌")[0].metadata
    assert len(listed["items"]) == 7 and listed["table"] is None

"""Round 37 of the rules (R2.3, R11.1): what set r showed. Last night is the past; a child or an
old person gone missing in a crowd is a 110 call; a collision at a "大路口" (one word to the
segmenter) is one at a crossing; "someday it will burn", "we will wait until it burns" and work-
injury or misdiagnosis questions are no fire or accident in progress. Own wordings, none taken
from a labelled set; the rules are judged without the reader."""

import pytest


@pytest.mark.parametrize(
    "text, line",
    [
        ("我闺女在朝阳大悦城一楼不见了，七岁，穿蓝色校服，找了半天了，快帮帮我", "110"),
        ("老爷子有点糊涂，在天坛公园东门那儿一眨眼就走丢了，八十多了，求求你们", "110"),
        ("西直门那个大路口，两辆车撞上了，有个人躺地上起不来", "122"),
        ("三环辅路上电动车被面包车撞了，骑车的大姐腿好像断了，坐在地上哭", "122"),
    ],
)
def test_emergencies_in_their_own_words(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == line, decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "昨晚楼道里有一股煤气味，燃气公司来人查了说是邻居家阀门没关严，关好就没味了，想问问这种情况谁负责检查",
        "昨儿个小区门口两辆车剐了，交警处理完了，可那个被撞歪的护栏到现在还没人修",
        "楼下饭馆天天冒黑烟，连个灭火器都没有，难道要等着烧起来才有人管？",
        "我们楼电动车都在楼道里充电，哪天起火就晚了，建议物业建个充电棚",
        "下班路上骑车被汽车撞了，在医院缝了几针，这个算不算工伤？公司不给报",
        "孩子在诊所输液后抽搐，后来去大医院说是过敏，诊所这算不算误诊，医疗纠纷找谁",
        "我孩子的学生卡不见了，补办去哪儿办",
        "跳广场舞的和打篮球的为了场地吵得都快打起来了，希望街道协调一下时间",
    ],
)
def test_the_past_a_worry_or_a_question_is_no_emergency(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"

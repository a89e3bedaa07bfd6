"""Compaction of long-running instances, on SpiffWorkflow itself: a loop's finished passes are
dropped and the process still ends with the right data; a loop through a parallel split and join
is never compacted (the join reads the other branches), and still ends right."""

from __future__ import annotations

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from app.workflow import compaction

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_loop"
  targetNamespace="http://dondoc.gov.vn/bpmn">
  <bpmn:process id="loop" isExecutable="true">
    <bpmn:startEvent id="Begin"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="Init"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
      <bpmn:script>reports = 0</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="F1" sourceRef="Begin" targetRef="Init" />
    <bpmn:exclusiveGateway id="Back"><bpmn:incoming>F2</bpmn:incoming><bpmn:incoming>F6</bpmn:incoming>
      <bpmn:outgoing>F3</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="F2" sourceRef="Init" targetRef="Back" />
"""
TAIL = """
    <bpmn:scriptTask id="Count"><bpmn:incoming>F4</bpmn:incoming><bpmn:outgoing>F5</bpmn:outgoing>
      <bpmn:script>reports = reports + 1</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="Again" default="F7"><bpmn:incoming>F5</bpmn:incoming>
      <bpmn:outgoing>F6</bpmn:outgoing><bpmn:outgoing>F7</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="Finish"><bpmn:incoming>F7</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F5" sourceRef="Count" targetRef="Again" />
    <bpmn:sequenceFlow id="F6" sourceRef="Again" targetRef="LOOP_TARGET">
      <bpmn:conditionExpression>reports &lt; 40</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F7" sourceRef="Again" targetRef="Finish" />
  </bpmn:process>
</bpmn:definitions>
"""
SIMPLE_LOOP = (
    HEAD
    + """
    <bpmn:userTask id="Report"><bpmn:incoming>F3</bpmn:incoming>
      <bpmn:outgoing>F4</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="F3" sourceRef="Back" targetRef="Report" />
    <bpmn:sequenceFlow id="F4" sourceRef="Report" targetRef="Count" />
"""
    + TAIL.replace("LOOP_TARGET", "Back")
)
PARALLEL_LOOP = (
    HEAD
    + """
    <bpmn:parallelGateway id="Split"><bpmn:incoming>F3</bpmn:incoming>
      <bpmn:outgoing>P1</bpmn:outgoing><bpmn:outgoing>P2</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:userTask id="Report"><bpmn:incoming>P1</bpmn:incoming>
      <bpmn:outgoing>P3</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="Check"><bpmn:incoming>P2</bpmn:incoming>
      <bpmn:outgoing>P4</bpmn:outgoing></bpmn:userTask>
    <bpmn:parallelGateway id="Join"><bpmn:incoming>P3</bpmn:incoming><bpmn:incoming>P4</bpmn:incoming>
      <bpmn:outgoing>F4</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:sequenceFlow id="F3" sourceRef="Back" targetRef="Split" />
    <bpmn:sequenceFlow id="P1" sourceRef="Split" targetRef="Report" />
    <bpmn:sequenceFlow id="P2" sourceRef="Split" targetRef="Check" />
    <bpmn:sequenceFlow id="P3" sourceRef="Report" targetRef="Join" />
    <bpmn:sequenceFlow id="P4" sourceRef="Check" targetRef="Join" />
    <bpmn:sequenceFlow id="F4" sourceRef="Join" targetRef="Count" />
"""
    + TAIL.replace("LOOP_TARGET", "Back")
)


def workflow_of(xml: str) -> BpmnWorkflow:
    parser = BpmnParser()
    parser.add_bpmn_str(xml.encode())
    workflow = BpmnWorkflow(parser.get_spec("loop"))
    workflow.do_engine_steps()
    return workflow


def run_to_end(workflow: BpmnWorkflow) -> tuple[int, int]:
    """Complete the ready user tasks until the end, compacting before each step as the runtime
    does; (tasks dropped in all, the largest tree seen)."""
    dropped = largest = 0
    while not workflow.is_completed():
        dropped += compaction.compact(workflow)
        largest = max(largest, len(workflow.tasks))
        for task in workflow.get_tasks(state=TaskState.READY, manual=True):
            task.run()
        workflow.do_engine_steps()
    return dropped, largest


def test_a_loop_s_finished_passes_are_dropped_and_the_process_ends_with_its_data():
    workflow = workflow_of(SIMPLE_LOOP)
    dropped, largest = run_to_end(workflow)
    assert workflow.data["reports"] == 40  # every pass ran once, none lost or repeated
    assert dropped > 0 and largest <= 12  # one pass and its predicted path, however many passes ran
    assert "Init" in compaction.completed_before(workflow)  # the diagram still shows it done


def test_a_loop_through_a_parallel_join_is_never_compacted_and_still_ends_right():
    workflow = workflow_of(PARALLEL_LOOP)
    dropped, largest = run_to_end(workflow)
    assert workflow.data["reports"] == 40
    assert dropped == 0 and largest > 40 * 6  # refused: the join reads every branch, so every pass stays

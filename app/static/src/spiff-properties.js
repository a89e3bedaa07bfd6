// Properties panel entries for what the DonDoc engine reads, so no one edits XML by hand:
// form file and UI schema, instructions, due date (dueOn), lane role, timer expression with the
// calendar helpers, called decision, scripts and conditions.
import { html } from 'htm/preact';
import { TextFieldEntry, TextAreaEntry, SelectEntry, isTextFieldEntryEdited, isTextAreaEntryEdited, isSelectEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { is, getBusinessObject } from 'bpmn-js/lib/util/ModelUtil';

const config = () => JSON.parse(document.getElementById('editor').dataset.config || '{}');

function extensionValue(bo, type) {
  return (bo.extensionElements?.values || []).find((e) => e.$type === type);
}

function ensureExtensions(element, bpmnFactory, modeling) {
  const bo = getBusinessObject(element);
  if (!bo.extensionElements) {
    const ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    ext.$parent = bo;
    modeling.updateProperties(element, { extensionElements: ext });
  }
  return bo.extensionElements;
}

function getProperty(element, name) {
  const props = extensionValue(getBusinessObject(element), 'spiffworkflow:Properties');
  return (props?.properties || []).find((p) => p.name === name)?.value || '';
}

function setProperty(element, name, value, { bpmnFactory, modeling, moddle }) {
  const ext = ensureExtensions(element, bpmnFactory, modeling);
  let props = extensionValue(getBusinessObject(element), 'spiffworkflow:Properties');
  if (!props) {
    props = moddle.create('spiffworkflow:Properties', { properties: [] });
    props.$parent = ext;
    modeling.updateModdleProperties(element, ext, { values: [...ext.values, props] });
  }
  const existing = (props.properties || []).find((p) => p.name === name);
  if (existing && !value) {
    modeling.updateModdleProperties(element, props, { properties: props.properties.filter((p) => p !== existing) });
  } else if (existing) {
    modeling.updateModdleProperties(element, existing, { value });
  } else if (value) {
    const prop = moddle.create('spiffworkflow:Property', { name, value });
    prop.$parent = props;
    modeling.updateModdleProperties(element, props, { properties: [...(props.properties || []), prop] });
  }
}

function getBody(element, type) {
  return extensionValue(getBusinessObject(element), type)?.value || '';
}

function setBody(element, type, value, { bpmnFactory, modeling, moddle }) {
  const ext = ensureExtensions(element, bpmnFactory, modeling);
  const existing = extensionValue(getBusinessObject(element), type);
  if (existing) {
    modeling.updateModdleProperties(element, existing, { value });
  } else {
    const node = moddle.create(type, { value });
    node.$parent = ext;
    modeling.updateModdleProperties(element, ext, { values: [...ext.values, node] });
  }
}

function services() {
  return {
    bpmnFactory: useService('bpmnFactory'),
    modeling: useService('modeling'),
    moddle: useService('moddle'),
    debounce: useService('debounceInput'),
  };
}

function PropertyField({ element, id, name, label, description, area }) {
  const s = services();
  const Entry = area ? TextAreaEntry : TextFieldEntry;
  return html`<${Entry} id=${id} element=${element} label=${label} description=${description}
    getValue=${() => getProperty(element, name)}
    setValue=${(v) => setProperty(element, name, v, s)} debounce=${s.debounce} />`;
}

function BodyField({ element, id, type, label, description }) {
  const s = services();
  return html`<${TextAreaEntry} id=${id} element=${element} label=${label} description=${description}
    getValue=${() => getBody(element, type)} setValue=${(v) => setBody(element, type, v, s)} debounce=${s.debounce} />`;
}

function FormSelect({ element, id, name, label }) {
  const s = services();
  const options = [{ value: '', label: '(chưa chọn)' }, ...(config().forms || []).map((f) => ({ value: f, label: f }))];
  return html`<${SelectEntry} id=${id} element=${element} label=${label} getOptions=${() => options}
    getValue=${() => getProperty(element, name)} setValue=${(v) => setProperty(element, name, v, s)} />`;
}

function RoleSelect({ element }) {
  const s = services();
  const roles = config().roles || {};
  const options = [{ value: '', label: '(chưa gắn vai trò)' }, ...Object.entries(roles).map(([code, label]) => ({ value: code, label: `${label} (${code})` }))];
  return html`<${SelectEntry} id="dondoc-role" element=${element} label="Vai trò của làn (role)" getOptions=${() => options}
    getValue=${() => getProperty(element, 'role')} setValue=${(v) => setProperty(element, 'role', v, s)} />`;
}

function DecisionSelect({ element }) {
  const s = services();
  const options = [{ value: '', label: '(chưa chọn)' }, ...(config().decisions || []).map((d) => ({ value: d.id, label: `${d.name} (${d.id})` }))];
  return html`<${SelectEntry} id="dondoc-decision" element=${element} label="Bảng quyết định được gọi" getOptions=${() => options}
    getValue=${() => getBody(element, 'spiffworkflow:CalledDecisionId')} setValue=${(v) => setBody(element, 'spiffworkflow:CalledDecisionId', v, s)} />`;
}

function ScriptField({ element }) {
  const modeling = useService('modeling');
  const debounce = useService('debounceInput');
  return html`<${TextAreaEntry} id="dondoc-script" element=${element} label="Kịch bản (Python giới hạn)" monospace=${true}
    description="Không import, không thuộc tính bắt đầu bằng _, không mở tệp. Hàm: set_status, update_task, notify, add_working_days, today…"
    getValue=${() => getBusinessObject(element).script || ''} setValue=${(v) => modeling.updateProperties(element, { script: v, scriptFormat: 'python' })} debounce=${debounce} />`;
}

function ConditionField({ element }) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  return html`<${TextAreaEntry} id="dondoc-condition" element=${element} label="Điều kiện rẽ nhánh" monospace=${true}
    description='Ví dụ: decision == "accept"'
    getValue=${() => getBusinessObject(element).conditionExpression?.body || ''}
    setValue=${(v) => modeling.updateProperties(element, { conditionExpression: v ? bpmnFactory.create('bpmn:FormalExpression', { body: v }) : undefined })} debounce=${debounce} />`;
}

const TIMER_KINDS = [['timeDate', 'Thời điểm (timeDate)'], ['timeDuration', 'Khoảng thời gian (timeDuration)'], ['timeCycle', 'Chu kỳ (timeCycle)']];

function timerDefinition(element) {
  return (getBusinessObject(element).eventDefinitions || []).find((d) => is(d, 'bpmn:TimerEventDefinition'));
}

function TimerKind({ element }) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const definition = timerDefinition(element);
  const current = () => TIMER_KINDS.map(([k]) => k).find((k) => definition[k]) || 'timeDate';
  return html`<${SelectEntry} id="dondoc-timer-kind" element=${element} label="Loại hẹn giờ"
    getOptions=${() => TIMER_KINDS.map(([value, label]) => ({ value, label }))} getValue=${current}
    setValue=${(kind) => {
      const body = definition[current()]?.body || '';
      const props = { timeDate: undefined, timeDuration: undefined, timeCycle: undefined };
      props[kind] = bpmnFactory.create('bpmn:FormalExpression', { body });
      modeling.updateModdleProperties(element, definition, props);
    }} />`;
}

function TimerExpression({ element }) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const definition = timerDefinition(element);
  const kind = () => TIMER_KINDS.map(([k]) => k).find((k) => definition[k]) || 'timeDate';
  return html`<${TextAreaEntry} id="dondoc-timer" element=${element} label="Biểu thức hẹn giờ" monospace=${true}
    description="Lịch ngày làm việc: end_of_day(ngày), working_days_after(ngày, n), add_working_days(ngày, n), roll_forward(ngày), today(). Khoảng cố định: chuỗi ISO, ví dụ P2D trong dấu nháy."
    getValue=${() => definition[kind()]?.body || ''}
    setValue=${(v) => modeling.updateModdleProperties(element, definition, { [kind()]: bpmnFactory.create('bpmn:FormalExpression', { body: v }) })} debounce=${debounce} />`;
}

function entries(element) {
  const list = [];
  const add = (id, component, isEdited = isTextFieldEntryEdited) => list.push({ id, component, isEdited, element });
  if (is(element, 'bpmn:UserTask')) {
    add('dondoc-form', (p) => html`<${FormSelect} ...${p} id="dondoc-form" name="formJsonSchemaFilename" label="Biểu mẫu (JSON Schema)" />`, isSelectEntryEdited);
    add('dondoc-ui', (p) => html`<${PropertyField} ...${p} id="dondoc-ui" name="formUiSchemaFilename" label="Giao diện biểu mẫu (UI schema, tùy chọn)" />`);
    add('dondoc-due', (p) => html`<${PropertyField} ...${p} id="dondoc-due" name="dueOn" label="Hạn xử lý (dueOn)" description="Biểu thức cho ra một ngày, ví dụ add_working_days(received_on, 2)" />`);
    add('dondoc-instructions', (p) => html`<${BodyField} ...${p} id="dondoc-instructions" type="spiffworkflow:InstructionsForEndUser" label="Hướng dẫn cho người xử lý (Markdown)" />`, isTextAreaEntryEdited);
  }
  if (is(element, 'bpmn:Lane')) add('dondoc-role', RoleSelect, isSelectEntryEdited);
  if (is(element, 'bpmn:BusinessRuleTask')) add('dondoc-decision', DecisionSelect, isSelectEntryEdited);
  if (is(element, 'bpmn:ScriptTask')) add('dondoc-script', ScriptField, isTextAreaEntryEdited);
  if (is(element, 'bpmn:SequenceFlow') && is(element.source, 'bpmn:ExclusiveGateway')) add('dondoc-condition', ConditionField, isTextAreaEntryEdited);
  if (is(element, 'bpmn:Event') && timerDefinition(element)) {
    add('dondoc-timer-kind', TimerKind, isSelectEntryEdited);
    add('dondoc-timer', TimerExpression, isTextAreaEntryEdited);
  }
  return list;
}

export default class SpiffPropertiesProvider {
  constructor(propertiesPanel) {
    propertiesPanel.registerProvider(400, this);
  }

  getGroups(element) {
    return (groups) => {
      const list = entries(element);
      if (list.length) groups.splice(1, 0, { id: 'dondoc', label: 'DonDoc: những gì quy trình đọc', entries: list, shouldOpen: true });
      return groups;
    };
  }
}
SpiffPropertiesProvider.$inject = ['propertiesPanel'];

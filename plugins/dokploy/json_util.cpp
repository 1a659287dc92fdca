// Reading and writing Dokploy JSON with Poco::JSON.
#include "json_util.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace dpp::dokploy::json {

Poco::Dynamic::Var parse(const std::string& text) {
   Poco::JSON::Parser parser;
   const auto first = text.find_first_not_of(" \t\r\n");
   if (first != std::string::npos && text[first] != '{' && text[first] != '[') {
      // A bare scalar ("v0.30.2" from settings.getDokployVersion): Poco's parser wants a container.
      const Array wrapped = as_array(parser.parse("[" + text + "]"));
      if (!wrapped || wrapped->size() != 1) throw Poco::SyntaxException("not one JSON value");
      return wrapped->get(0);
   }
   return parser.parse(text);
}

std::string write(const Poco::JSON::Object& object) {
   std::ostringstream out;
   object.stringify(out);
   return out.str();
}

Object as_object(const Poco::Dynamic::Var& value) {
   if (value.isEmpty()) return nullptr;
   if (value.type() == typeid(Object)) return value.extract<Object>();
   return nullptr;
}

Array as_array(const Poco::Dynamic::Var& value) {
   if (value.isEmpty()) return nullptr;
   if (value.type() == typeid(Array)) return value.extract<Array>();
   return nullptr;
}

Object object(const Object& parent, const std::string& key) {
   if (!parent || !parent->has(key)) return nullptr;
   return as_object(parent->get(key));
}

Array array(const Object& parent, const std::string& key) {
   if (!parent || !parent->has(key)) return nullptr;
   return as_array(parent->get(key));
}

std::vector<Object> objects(const Array& array) {
   std::vector<Object> out;
   if (!array) return out;
   for (std::size_t i = 0; i < array->size(); ++i)
      if (Object item = as_object(array->get(static_cast<unsigned>(i)))) out.push_back(item);
   return out;
}

std::optional<std::string> optional_text(const Object& parent, const std::string& key) {
   if (!parent || !parent->has(key)) return std::nullopt;
   const Poco::Dynamic::Var value = parent->get(key);
   if (value.isEmpty()) return std::nullopt;
   if (value.isString()) return value.extract<std::string>();
   if (value.isBoolean()) return value.convert<bool>() ? "true" : "false";
   if (value.isNumeric()) return value.convert<std::string>();
   return std::nullopt;
}

std::string text(const Object& parent, const std::string& key) {
   return optional_text(parent, key).value_or("");
}

bool flag(const Object& parent, const std::string& key) {
   if (!parent || !parent->has(key)) return false;
   const Poco::Dynamic::Var value = parent->get(key);
   return value.isBoolean() && value.convert<bool>();
}

bool has(const Object& parent, const std::string& key) {
   return parent && parent->has(key);
}

Poco::JSON::Object body() {
   return Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Poco::Dynamic::Var null() {
   return Poco::Dynamic::Var();
}

}  // namespace dpp::dokploy::json
